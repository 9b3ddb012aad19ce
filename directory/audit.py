"""The one way to record an act (not a field change) in the action log.

Field changes are captured by django-simple-history on every model people edit; an act
such as a lockout, an approval or a check-in is recorded here, in the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

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


def field_history(obj: models.Model, limit: int = 20) -> list[dict[str, Any]]:
    """Field changes of `obj` recorded by django-simple-history, newest first: who, when,
    and for each changed field its label, old and new value. One query, whatever the length."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                field = obj._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": newer.get_history_type_display(),
                "changes": changes,
            }
        )
    return entries
