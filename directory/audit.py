"""The one way to record an act (not a field change) in the action log.

Field changes are captured by django-simple-history on every model people edit; an act
such as a lockout, an approval or a check-in is recorded here, in the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import ActionLog


def register_verb(verb: str, label: str) -> None:
    """Give an app's verb its Vietnamese label in the action log."""
    ActionLog.VERB_LABELS[verb] = label


def record(actor, verb: str, target: models.Model | None = None, **changes: Any) -> ActionLog:
    """Write one action-log row: who (`actor`, may be None for the system), what, on what."""
    return ActionLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        changes=changes,
    )


def actions_for(target: models.Model):
    """The action log of one object, newest first, with the actor loaded."""
    return ActionLog.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


# django-simple-history's own labels ("Created", "Changed", "Deleted") have no Vietnamese.
HISTORY_TYPES = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}


def field_history(obj: models.Model, limit: int = 20) -> list[dict[str, Any]]:
    """Field changes of `obj` recorded by django-simple-history, newest first: who, when,
    and for each changed field its label and old and new value as people read them (choice
    labels, related objects' names). A fixed number of queries, whatever the length."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = obj._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "name": field.name, "old": change.old, "new": change.new})
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": HISTORY_TYPES.get(newer.history_type, newer.history_type),
                "changes": changes,
            }
        )
    _readable_values(obj, entries)
    return entries


def _readable_values(obj: models.Model, entries: list[dict[str, Any]]) -> None:
    """Replace codes by their labels and ids by names: one query per related model."""
    wanted: dict[str, set] = {}
    for entry in entries:
        for change in entry["changes"]:
            field = obj._meta.get_field(change["name"])
            if field.many_to_one:
                wanted.setdefault(field.name, set()).update({change["old"], change["new"]} - {None})
    names = {
        name: {o.pk: str(o) for o in obj._meta.get_field(name).related_model._base_manager.filter(pk__in=ids)}
        for name, ids in wanted.items()
    }
    for entry in entries:
        for change in entry["changes"]:
            field = obj._meta.get_field(change["name"])
            labels = dict(field.choices) if field.choices else names.get(field.name)
            if labels:
                change["old"] = labels.get(change["old"], change["old"])
                change["new"] = labels.get(change["new"], change["new"])
