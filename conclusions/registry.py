"""What the conclusions app plugs into the apps below it, called from `AppConfig.ready()`:
its permission rules and action-log verbs, its tab in the program header, its section of the
agency's to-do list and its demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from directory import demo as directory_demo
    from notifications import kinds
    from notifications import obligations as reminders
    from programs.views.common import register_tab
    from submissions.views.routing import register_todo_section

    from . import demo, jobs, obligations, rules, workflow  # noqa: F401  (rules, verbs, job kinds register)
    from .views import todo

    directory_demo.register(demo.seed, order=30)
    reminders.register("conclusions.dues", obligations.open_dues)
    kinds.register(
        "conclusions.update",
        _("Tin về nhiệm vụ theo thông báo kết luận"),
        "{{ what }}",
        "Kính gửi {{ recipient_name }},\n\n{{ what }}\n\nXem chi tiết: {{ link }}\n\n--\n{{ site_name }}",
    )
    register_tab(_("Kết luận"), "conclusions:notices", "programs.view_public", after="submissions:program_items")
    register_tab(
        _("Kết quả kỳ trước"), "conclusions:carryover", "conclusions.view_followup", after="conclusions:notices"
    )
    register_todo_section(todo.todo_section)
