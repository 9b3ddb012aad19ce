"""What every program page needs: the program fetched through the user's scope, and the
tabs of the program header, shown only where the user may go."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.permissions import can

from ..models import Program
from ..rules import programs_for

# (label, url name, permission needed)
TABS = [
    (_("Tổng quan"), "programs:detail", None),
    (_("Ban tổ chức"), "programs:committee", "programs.view_internals"),
    (_("Kế hoạch"), "programs:plan", "programs.view_internals"),
    (_("Lộ trình chuẩn bị"), "programs:roadmap", "programs.view_roadmap"),
    (_("Chương trình nghị sự"), "programs:agenda", "programs.view_public"),
    (_("Diễn đàn"), "programs:forums", "programs.view_public"),
    (_("Đại biểu"), "programs:delegates", "programs.view_delegates"),
]


def register_tab(label, url_name: str, permission: str | None, *, after: str = "") -> None:
    """Higher apps add their tab to the program header (programs imports none of them): after
    the tab named, or at the end, so the tabs follow a program's life (submissions, then the
    conclusions) in the order the apps are loaded."""
    if any(name == url_name for _label, name, _perm in TABS):
        return
    names = [name for _label, name, _perm in TABS]
    position = names.index(after) + 1 if after in names else len(TABS)
    TABS.insert(position, (label, url_name, permission))


def get_program(request, pk: int, *related: str) -> Program:
    """The program with `pk` if the user may see it, else 404."""
    queryset = programs_for(request.user).select_related("host", "area", "standing_agency", "previous", *related)
    return get_object_or_404(queryset, pk=pk)


def program_tabs(request, program: Program, active: str) -> list[dict]:
    return [
        {"label": label, "url": reverse(name, args=[program.pk]), "active": name == active}
        for label, name, permission in TABS
        if permission is None or can(request.user, permission, program)
    ]


def program_context(request, program: Program, active: str, **extra) -> dict:
    return {
        "program": program,
        "tabs": program_tabs(request, program, active),
        "can_manage": can(request.user, "programs.manage", program),
        **extra,
    }
