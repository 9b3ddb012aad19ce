"""Django admin for reference data (Vietnamese through the vi locale)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionLog, AdminUnit, Agency, CalendarDay, User

admin.site.site_header = _("Quản trị Đối thoại")
admin.site.site_title = _("Quản trị Đối thoại")
admin.site.index_title = _("Danh mục và người dùng")


@admin.register(AdminUnit)
class AdminUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "full_name", "level", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("level", "kind", "valid_to")
    search_fields = ("code", "search_key", "name")
    raw_id_fields = ("parent", "successor")
    list_select_related = ("parent", "successor")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "kind", "province", "email", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "search_key", "code")
    raw_id_fields = ("province", "parent")
    list_select_related = ("province",)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "role", "agency", "commune", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "search_key")
    raw_id_fields = ("agency", "commune")
    list_select_related = ("agency", "commune")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "position", "email", "phone")}),
        (_("Vai trò và tổ chức"), {"fields": ("role", "agency", "commune")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "role", "agency", "commune", "password1", "password2"),
            },
        ),
    )


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "verb", "target_repr")
    list_filter = ("verb",)
    search_fields = ("target_repr", "actor__username")
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
