"""Kinds of messages and their words. Each app registers its kinds (label, default subject
and body in Django template syntax) in `AppConfig.ready()`; administrators may override the
words with a `MessageTemplate` row. Rendering takes the overrides of all kinds in one query."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.template import Context, Engine
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    subject: str
    body: str
    # Whether the message goes by e-mail when the user has not chosen (they may turn it off).
    email_by_default: bool = True


KINDS: dict[str, Kind] = {}
# A plain engine: messages are text, so nothing is HTML-escaped, and no template tags beyond
# Django's built-ins are needed.
ENGINE = Engine(autoescape=False)


def register(code: str, label, subject: str, body: str, *, email_by_default: bool = True) -> None:
    KINDS[code] = Kind(code, label, subject, body, email_by_default)


def get(code: str) -> Kind:
    return KINDS[code]


def choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.label) for kind in sorted(KINDS.values(), key=lambda k: str(k.label))]


def texts(codes) -> dict[str, tuple[str, str]]:
    """(subject, body) templates for each kind: the administrators' words where they wrote any."""
    from .models import MessageTemplate

    result = {code: (KINDS[code].subject, KINDS[code].body) for code in codes}
    for row in MessageTemplate.objects.filter(kind__in=list(result)):
        result[row.kind] = (row.subject, row.body)
    return result


@functools.lru_cache(maxsize=256)
def _compiled(template: str):
    """A sweep renders thousands of messages from a handful of texts: compile each once."""
    return ENGINE.from_string(template)


def render(template: str, context: dict) -> str:
    return _compiled(template).render(Context(context)).strip()


# Shared phrase for the time left or late, used by every reminder text.
TIME_LEFT = (
    "{% if days_left > 0 %}còn {{ days_left }} ngày{% elif days_left == 0 %}đến hạn hôm nay"
    "{% else %}đã quá hạn {{ days_late }} ngày{% endif %}"
)
SIGNATURE = "\n\n--\n{{ site_name }}\nThư gửi tự động, xin đừng trả lời thư này."


def register_defaults() -> None:
    register(
        "reminder",
        _("Nhắc hạn"),
        "[Nhắc hạn] {{ title|truncatechars:120 }} – " + TIME_LEFT,
        "Kính gửi {{ recipient_name }},\n\n{{ what }}: {{ title }}\nHạn: {{ deadline|date:'d/m/Y' }} ("
        + TIME_LEFT
        + ").\n{% if responsible %}Đơn vị thực hiện: {{ responsible }}\n{% endif %}\nXem và cập nhật: {{ link }}"
        + SIGNATURE,
    )
    register(
        "reminder.escalation",
        _("Báo việc quá hạn cho cơ quan thường trực"),
        "[Quá hạn] {{ responsible }}: {{ title|truncatechars:100 }}",
        "Kính gửi {{ recipient_name }},\n\n{{ what }} do {{ responsible }} thực hiện đã quá hạn {{ days_late }} ngày"
        " (hạn {{ deadline|date:'d/m/Y' }}):\n{{ title }}\n\nXem chi tiết: {{ link }}" + SIGNATURE,
    )
    register(
        "digest.agency",
        _("Tổng hợp tuần: việc cơ quan cần thực hiện"),
        "[Tổng hợp tuần] {{ agency }}: {{ items|length }} việc cần thực hiện",
        "Kính gửi {{ recipient_name }},\n\nNhững việc {{ agency }} đang phải thực hiện"
        " (đến {{ today|date:'d/m/Y' }}):\n"
        "{% for item in items %}\n- {{ item.what }}: {{ item.title }} – hạn {{ item.deadline|date:'d/m/Y' }}"
        "{% if item.days_late > 0 %} (quá hạn {{ item.days_late }} ngày){% endif %}\n  {{ item.link }}{% endfor %}"
        + SIGNATURE,
    )
    register(
        "digest.late",
        _("Tổng hợp tuần: việc quá hạn theo cơ quan"),
        "[Tổng hợp tuần] {{ total }} việc quá hạn",
        "Kính gửi {{ recipient_name }},\n\nĐến {{ today|date:'d/m/Y' }} có {{ total }} việc quá hạn:\n"
        "{% for group in groups %}\n{{ group.agency }}: {{ group.items|length }} việc{% for item in group.items %}\n"
        "  - {{ item.title }} (hạn {{ item.deadline|date:'d/m/Y' }}, quá {{ item.days_late }} ngày) {{ item.link }}"
        "{% endfor %}\n{% endfor %}" + SIGNATURE,
    )
