"""Who may see and do what with submissions, registered with `directory.permissions`.

- organizers, the Standing Committee, administrators: every item of their province's programs;
- a commune leader: the items their commune (or a commune it absorbed in 2025) raised, plus
  items the organizers published to all;
- an agency officer: items routed to their agency (as lead or coordinating, now or before);
- the supervisor (MTTQ): published results only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.models import Role
from directory.permissions import province_id_of, role_of, rule
from programs.rules import manages, programs_for

from .models import Answer, Routing, Submission

RESULT_STATUSES = [Submission.Status.PUBLISHED, Submission.Status.CLOSED]


def commune_scope(user) -> Q:
    """The leader's commune and the units it absorbed: their items are now the commune's."""
    return Q(origin_links__commune_id=user.commune_id) | Q(origin_links__commune__successor_id=user.commune_id)


def submissions_for(user) -> QuerySet[Submission]:
    role = role_of(user)
    if role is None:
        return Submission.objects.none()
    items = (
        Submission.objects.filter(program__in=programs_for(user)) if role != Role.ADMIN else Submission.objects.all()
    )
    if role in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE):
        return items
    if role == Role.SUPERVISOR:
        return items.filter(status__in=RESULT_STATUSES)
    if role == Role.AGENCY_OFFICER:
        agency = user.agency_id
        routed = Routing.objects.filter(Q(lead_agency_id=agency) | Q(coordinating_agencies__id=agency))
        return Submission.objects.filter(pk__in=routed.values("submission_id")).exclude(status=Submission.Status.DRAFT)
    if role == Role.COMMUNE_LEADER:
        own = Submission.objects.filter(commune_scope(user)) | Submission.objects.filter(
            created_by=user, status=Submission.Status.DRAFT
        )
        public = Submission.objects.filter(
            program__province_id=province_id_of(user), public=True, status__in=RESULT_STATUSES
        )
        return Submission.objects.filter(pk__in=own.values("pk")) | public
    return Submission.objects.none()


def published_answers(submission: Submission, user) -> QuerySet[Answer]:
    """Answers a user may read: everything for staff and the agencies routed; published ones
    for communes and the supervisor."""
    answers = submission.answers.select_related("agency")
    if role_of(user) in (Role.COMMUNE_LEADER, Role.SUPERVISOR):
        return answers.filter(status=Answer.Status.PUBLISHED)
    return answers


@rule("submissions.submit")
def _submit(user, program) -> bool:
    """Commune leaders send for their commune; organizers enter items on behalf of a commune."""
    return role_of(user) == Role.COMMUNE_LEADER or manages(user, program)


@rule("submissions.edit_own")
def _edit_own(user, submission) -> bool:
    if submission.status not in (Submission.Status.DRAFT, Submission.Status.RETURNED):
        return False
    if manages(user, submission.program):
        return True
    return role_of(user) == Role.COMMUNE_LEADER and submission.commune_id == user.commune_id


@rule("submissions.triage")
def _triage(user, program) -> bool:
    return manages(user, program)


@rule("submissions.answer")
def _answer(user, submission) -> bool:
    """The lead agency of the open routing drafts and sends the answer."""
    if role_of(user) != Role.AGENCY_OFFICER:
        return False
    return submission.routings.filter(
        lead_agency_id=user.agency_id, status__in=[Routing.Status.ACTIVE, Routing.Status.REASSIGN_REQUESTED]
    ).exists()


@rule("submissions.request_reassignment")
def _request_reassignment(user, routing) -> bool:
    return (
        role_of(user) == Role.AGENCY_OFFICER
        and routing.lead_agency_id == user.agency_id
        and routing.status == Routing.Status.ACTIVE
    )


@rule("submissions.view_internal")
def _view_internal(user, submission) -> bool:
    """Routing trail, drafts of answers, the action log: staff and the agencies routed."""
    return role_of(user) in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.AGENCY_OFFICER)
