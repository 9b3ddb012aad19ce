"""Who may see and do what with notifications. Registered with `directory.permissions`, which
stays the one place that decides; views ask `can()` and fetch rows through the scoping
functions here, so another user's notification or another province's e-mail is a 404.

Every signed-in user has their own bell, inbox and e-mail choices. The outbox and the health
page are for staff: administrators see every e-mail; organizers see the e-mails to people
and agencies of their own province (the recipient's agency or commune, or the agency the
e-mail was addressed to). An e-mail whose recipient is gone is left to administrators."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from directory import audit
from directory.models import Role
from directory.permissions import has_role, province_id_of, role_of, rule

from .models import Notification, OutgoingEmail

STAFF = (Role.ADMIN, Role.ORGANIZER)

audit.register_verb("notifications.run_sweep", gettext_lazy("Chạy quét nhắc hạn"))


def notifications_for(user) -> QuerySet[Notification]:
    """A user's own notifications; nobody reads another's."""
    if role_of(user) is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def outbox_for(user) -> QuerySet[OutgoingEmail]:
    role = role_of(user)
    if role == Role.ADMIN:
        return OutgoingEmail.objects.all()
    if role != Role.ORGANIZER:
        return OutgoingEmail.objects.none()
    province = province_id_of(user)
    if province is None:
        return OutgoingEmail.objects.none()
    # Communes hang under a district before 2025 and directly under the province after.
    return OutgoingEmail.objects.filter(
        Q(agency__province_id=province)
        | Q(recipient__agency__province_id=province)
        | Q(recipient__commune__parent_id=province)
        | Q(recipient__commune__parent__parent_id=province)
    )


@rule("notifications.view_outbox")
def _view_outbox(user, email) -> bool:
    if not has_role(user, *STAFF):
        return False
    return email is None or outbox_for(user).filter(pk=email.pk).exists()


@rule("notifications.resend")
def _resend(user, email) -> bool:
    return _view_outbox(user, email) and (email is None or email.status == OutgoingEmail.Status.FAILED)


@rule("notifications.view_health")
def _view_health(user, obj) -> bool:
    return has_role(user, *STAFF)


@rule("notifications.run_sweep")
def _run_sweep(user, obj) -> bool:
    return has_role(user, *STAFF)
