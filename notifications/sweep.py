"""The daily reminder sweep and the weekly digests.

The sweep asks every registered source for its open obligations due within the longest
reminder horizon (and all overdue ones), works out each one's milestone today, and inserts a
`Reminder` row per (obligation, recipient, milestone) with ON CONFLICT DO NOTHING. It then
reads back the rows *this* sweep inserted (they carry its id) and sends messages for those
only. Two sweeps at once, a duplicate beat tick or a rerun after a crash therefore send
nothing twice, and the whole run costs a fixed number of queries however many obligations
there are."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from directory.models import Role

from . import obligations as registry
from .delivery import Directory, Message, send
from .models import Reminder, SweepRun

log = logging.getLogger("notifications.sweep")


def _context(obligation, today: datetime.date) -> dict:
    left = (obligation.deadline - today).days
    return {
        "what": obligation.what,
        "title": obligation.title,
        "deadline": obligation.deadline,
        "days_left": left,
        "days_late": max(-left, 0),
        "responsible": obligation.responsible,
        "today": today,
    }


def planned_messages(found: list, today: datetime.date) -> list[tuple[str, str, Message]]:
    """(obligation key, milestone, message) for every obligation that has a milestone today."""
    planned = []
    for obligation in found:
        step = registry.milestone(obligation.deadline, today)
        if step is None:
            continue
        context = _context(obligation, today)
        planned.append(
            (
                obligation.key,
                step,
                Message("reminder", context, obligation.url, obligation.users, obligation.agencies, obligation.units),
            )
        )
        if step.startswith("overdue") and obligation.escalate_to:
            planned.append(
                (
                    obligation.key,
                    f"escalate-{step}",
                    Message("reminder.escalation", context, obligation.url, agencies=obligation.escalate_to),
                )
            )
    return planned


def run(*, today: datetime.date | None = None, trigger: str = "manual") -> SweepRun:
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(registry.days_before(), default=0))
    with transaction.atomic():
        sweep = SweepRun.objects.create(kind=SweepRun.Kind.REMINDERS, trigger=trigger)
        found = registry.open_obligations(horizon)
        planned = planned_messages(found, today)
        people = Directory.load(message for _key, _step, message in planned)
        candidates = []
        for key, step, message in planned:
            for recipient in people.recipients(message):
                candidates.append((f"{key}|{recipient.key}|{step}"[:250], key, step, message, recipient))
        Reminder.objects.bulk_create(
            [
                Reminder(key=unique, obligation=key[:120], recipient=recipient.key, milestone=step, sweep=sweep)
                for unique, key, step, _message, recipient in candidates
            ],
            ignore_conflicts=True,
            batch_size=5000,
        )
        mine = set(Reminder.objects.filter(sweep=sweep).values_list("key", flat=True))
        pairs = [(message, recipient) for unique, _k, _s, message, recipient in candidates if unique in mine]
        notifications, emails = send(pairs)
        sweep.obligations, sweep.reminders, sweep.finished_at = len(found), len(mine), timezone.now()
        sweep.save(update_fields=["obligations", "reminders", "finished_at"])
    log.info(
        "reminder sweep %s (%s): %d open obligations up to %s, %d new reminders, %d in-app, %d e-mails",
        sweep.pk,
        trigger,
        len(found),
        horizon,
        len(mine),
        len(notifications),
        len(emails),
    )
    return sweep


# --- weekly digests ------------------------------------------------------------------------------


def _item(obligation, today: datetime.date) -> dict:
    from .delivery import absolute

    return {**_context(obligation, today), "link": absolute(obligation.url)}


def _once(sweep: SweepRun, keyed: list[tuple[str, Message, object]]) -> list:
    """Insert a reminder row per digest and recipient; keep those this run inserted."""
    Reminder.objects.bulk_create(
        [
            Reminder(key=key, obligation=key.split("|")[0], recipient=r.key, milestone="digest", sweep=sweep)
            for key, _m, r in keyed
        ],
        ignore_conflicts=True,
    )
    mine = set(Reminder.objects.filter(sweep=sweep).values_list("key", flat=True))
    return [(message, recipient) for key, message, recipient in keyed if key in mine]


def send_digests(*, today: datetime.date | None = None, trigger: str = "manual") -> SweepRun:
    """Per agency, everything it owes; per province, what is late by agency — to its
    organizers (all late items) and Standing Committee (items late longer than the delay)."""
    today = today or timezone.localdate()
    year, number, _day = today.isocalendar()
    week = f"{year}-W{number:02d}"
    with transaction.atomic():
        sweep = SweepRun.objects.create(kind=SweepRun.Kind.AGENCY_DIGEST, trigger=trigger)
        found = sorted(registry.open_obligations(None), key=lambda o: o.deadline)
        by_agency: dict[int, list] = defaultdict(list)
        for obligation in found:
            for agency_id in obligation.agencies:
                by_agency[agency_id].append(obligation)
        messages = []
        people = Directory.load([Message("digest.agency", {}, agencies=list(by_agency))])
        names = {pk: agency.name for pk, agency in people.agencies.items()}
        for agency_id, items in by_agency.items():
            message = Message(
                "digest.agency",
                {"agency": names.get(agency_id, ""), "items": [_item(o, today) for o in items], "today": today},
                agencies=[agency_id],
            )
            messages.extend(
                (f"digest.agency:{agency_id}:{week}|{r.key}", message, r) for r in people.recipients(message)
            )
        messages.extend(_late_digests(found, today, week))
        pairs = _once(sweep, messages)
        send(pairs)
        sweep.obligations, sweep.reminders, sweep.finished_at = len(found), len(pairs), timezone.now()
        sweep.save(update_fields=["obligations", "reminders", "finished_at"])
    log.info("weekly digests %s: %d open obligations, %d digests", week, len(found), len(pairs))
    return sweep


def _late_digests(found: list, today: datetime.date, week: str) -> list:
    late = [o for o in found if o.deadline < today]
    if not late:
        return []
    readers = list(
        get_user_model()
        .objects.filter(is_active=True, role__in=[Role.ORGANIZER, Role.STANDING_COMMITTEE], agency__isnull=False)
        .select_related("agency")
    )
    delay = registry.escalate_after()
    result = []
    people = Directory.load([Message("digest.late", {}, users=[u.pk for u in readers])])
    for reader in readers:
        province = reader.agency.province_id
        mine = [o for o in late if o.province_id == province]
        if reader.role == Role.STANDING_COMMITTEE:
            mine = [o for o in mine if (today - o.deadline).days > delay]
        if not mine:
            continue
        groups: dict[str, list] = defaultdict(list)
        for obligation in mine:
            groups[obligation.responsible or "—"].append(_item(obligation, today))
        context = {
            "today": today,
            "total": len(mine),
            "groups": [{"agency": name, "items": items} for name, items in sorted(groups.items())],
        }
        message = Message("digest.late", context, users=[reader.pk])
        result.extend((f"digest.late:{reader.pk}:{week}|{r.key}", message, r) for r in people.recipients(message))
    return result
