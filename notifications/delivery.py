"""One call delivers a message in the app and by e-mail. Recipients are named as users,
agencies (their active people and the agency's registered address) or communes (their
leaders); each user's choice decides whether a kind also goes by e-mail. Rows are created in
the caller's transaction; e-mails are handed to the worker only after it commits
(`outbox.enqueue`). A batch of messages costs a fixed number of queries, however many."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from directory.models import Agency, Role

from . import kinds, outbox
from .models import EmailPreference, Notification, OutgoingEmail


@dataclass
class Message:
    kind: str
    context: dict
    url: str = ""  # a path of this site; the e-mail gets the absolute link
    users: Sequence[int] = ()
    agencies: Sequence[int] = ()
    units: Sequence[int] = ()  # communes: their leaders


@dataclass(frozen=True)
class Recipient:
    """A person (with or without an address) or an agency's own address."""

    key: str  # "user:12" or "agency:3": part of a reminder's unique key
    name: str
    email: str
    user_id: int | None = None
    agency_id: int | None = None


@dataclass
class Directory:
    """Who the named users, agencies and communes are, loaded once for a batch."""

    users: dict[int, object] = field(default_factory=dict)
    by_agency: dict[int, list] = field(default_factory=dict)
    by_unit: dict[int, list] = field(default_factory=dict)
    agencies: dict[int, Agency] = field(default_factory=dict)
    email_off: set[tuple[int, str]] = field(default_factory=set)
    email_on: set[tuple[int, str]] = field(default_factory=set)

    @classmethod
    def load(cls, messages: Iterable[Message]) -> Directory:
        messages = list(messages)
        user_ids = {pk for m in messages for pk in m.users}
        agency_ids = {pk for m in messages for pk in m.agencies}
        unit_ids = {pk for m in messages for pk in m.units}
        found = cls()
        if not (user_ids or agency_ids or unit_ids):
            return found
        wanted = Q(pk__in=user_ids) | Q(agency_id__in=agency_ids) | Q(commune_id__in=unit_ids, role=Role.COMMUNE_LEADER)
        people = list(get_user_model().objects.filter(wanted, is_active=True).order_by("pk"))
        for person in people:
            found.users[person.pk] = person
            if person.agency_id in agency_ids and person.role != Role.COMMUNE_LEADER:
                found.by_agency.setdefault(person.agency_id, []).append(person)
            if person.commune_id in unit_ids and person.role == Role.COMMUNE_LEADER:
                found.by_unit.setdefault(person.commune_id, []).append(person)
        found.agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids)} if agency_ids else {}
        kinds_used = {m.kind for m in messages}
        for pk, kind, by_email in EmailPreference.objects.filter(
            user_id__in=list(found.users), kind__in=kinds_used
        ).values_list("user_id", "kind", "by_email"):
            (found.email_on if by_email else found.email_off).add((pk, kind))
        return found

    def wants_email(self, user_id: int, kind: str) -> bool:
        if (user_id, kind) in self.email_off:
            return False
        return (user_id, kind) in self.email_on or kinds.get(kind).email_by_default

    def recipients(self, message: Message) -> list[Recipient]:
        """Everyone `message` reaches, each once."""
        people = [self.users[pk] for pk in message.users if pk in self.users]
        for pk in message.agencies:
            people.extend(self.by_agency.get(pk, []))
        for pk in message.units:
            people.extend(self.by_unit.get(pk, []))
        result: dict[str, Recipient] = {}
        for person in people:
            email = person.email if self.wants_email(person.pk, message.kind) else ""
            result.setdefault(
                f"user:{person.pk}",
                Recipient(f"user:{person.pk}", person.full_name or person.username, email, user_id=person.pk),
            )
        for pk in message.agencies:
            agency = self.agencies.get(pk)
            if agency is not None and agency.email:
                result.setdefault(f"agency:{pk}", Recipient(f"agency:{pk}", agency.name, agency.email, agency_id=pk))
        return list(result.values())


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.DIALOGUE_SITE_URL.rstrip("/") + url


def send(pairs: Iterable[tuple[Message, Recipient]]) -> tuple[list[Notification], list[OutgoingEmail]]:
    """Create the notifications and queued e-mails for each (message, recipient)."""
    pairs = list(pairs)
    words = kinds.texts({message.kind for message, _ in pairs})
    now = timezone.now()
    notifications, emails = [], []
    for message, recipient in pairs:
        subject_template, body_template = words[message.kind]
        context = {
            "site_name": settings.DIALOGUE_SITE_NAME,
            **message.context,
            "recipient_name": recipient.name,
            "link": absolute(message.url),
        }
        subject = " ".join(kinds.render(subject_template, context).split())[:300]
        body = kinds.render(body_template, context)
        if recipient.user_id is not None:
            notifications.append(
                Notification(
                    recipient_id=recipient.user_id,
                    kind=message.kind,
                    title=subject,
                    body=body,
                    url=message.url,
                    created_at=now,
                )
            )
        if recipient.email:
            emails.append(
                OutgoingEmail(
                    to=recipient.email,
                    recipient_id=recipient.user_id,
                    agency_id=recipient.agency_id,
                    kind=message.kind,
                    subject=subject,
                    body=body,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    notifications = Notification.objects.bulk_create(notifications, batch_size=2000)
    emails = OutgoingEmail.objects.bulk_create(emails, batch_size=2000)
    outbox.enqueue([email.pk for email in emails])
    return notifications, emails


def deliver(messages: Iterable[Message]) -> tuple[list[Notification], list[OutgoingEmail]]:
    messages = list(messages)
    found = Directory.load(messages)
    return send((message, recipient) for message in messages for recipient in found.recipients(message))


def notify(kind: str, *, context: dict, url: str = "", users=(), agencies=(), units=()):
    """Tell the named users, agencies and communes about an event (one call, app + e-mail)."""
    return deliver([Message(kind, context, url, _ids(users), _ids(agencies), _ids(units))])


def _ids(items) -> list[int]:
    """Objects or their ids."""
    return [getattr(item, "pk", item) for item in items]
