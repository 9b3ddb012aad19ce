"""Template filters of the dashboards."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """`mapping[key]`, or "" when missing: a section's chart from the view's `charts`."""
    return mapping.get(key, "") if mapping else ""
