"""Template filters shared by every app's pages."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def days_late(day: datetime.date | None) -> str:
    """ "3 ngày" for a date three days ago: Django's own `timesince` has no Vietnamese words
    for years and months, and deadlines are counted in days anyway."""
    if not day:
        return ""
    days = max((timezone.localdate() - day).days, 0)
    return ngettext("%(n)s ngày", "%(n)s ngày", days) % {"n": f"{days:,}".replace(",", ".")}
