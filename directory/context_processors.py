"""Navigation by role: the menu shows only what the signed-in user may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Role

# (label, url name, roles that see it; None = every signed-in user)
MENU = [
    (_("Trang chủ"), "home", None),
    (_("Chương trình"), "programs:list", None),
    (_("Câu hỏi của đơn vị"), "submissions:mine", {Role.COMMUNE_LEADER}),
    (_("Việc cần trả lời"), "submissions:agency_todo", {Role.AGENCY_OFFICER}),
    (_("Đơn vị hành chính"), "directory:unit_list", None),
    (_("Cơ quan, đơn vị"), "directory:agency_list", None),
    (_("Người dùng"), "directory:user_list", {Role.ADMIN, Role.ORGANIZER}),
    (_("Lịch làm việc"), "directory:calendar", None),
    (_("Quản trị"), "admin:index", {Role.ADMIN}),
]


def register_menu_item(label, url_name: str, roles: set[str] | None, *, after: str) -> None:
    """Higher apps add their entry to the menu (directory imports none of them), after the
    entry named; registering twice changes nothing."""
    if any(name == url_name for _label, name, _roles in MENU):
        return
    names = [name for _label, name, _roles in MENU]
    MENU.insert(names.index(after) + 1 if after in names else len(MENU), (label, url_name, roles))


def navigation(request):
    role = permissions.role_of(getattr(request, "user", None))
    if role is None:
        return {"nav_items": [], "user_role_label": ""}
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = [
        {"label": label, "url": reverse(name), "active": current == name}
        for label, name, roles in MENU
        if roles is None or role in roles
    ]
    return {"nav_items": items, "user_role_label": Role(role).label}
