"""Who may see and do what with notices of conclusions and their follow-up. Registered with
`directory.permissions`, which stays the one place that decides; views fetch through the
scoping functions here and check actions with `can()`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.models import Role
from directory.permissions import role_of, rule
from programs.rules import INTERNAL_READERS, manages, programs_for

from .models import Assignment, ConclusionNotice, Extension

# Who reads drafts before they are issued: those who write and those who approve.
DRAFT_READERS = frozenset({Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.ADMIN})
PUBLISHED = [ConclusionNotice.Status.ISSUED, ConclusionNotice.Status.SUPERSEDED]


def notices_for(user) -> QuerySet[ConclusionNotice]:
    """Notices of the programs the user may open: issued ones for everyone there (a notice is
    sent to the communes and agencies), drafts only for those who write or approve them."""
    notices = ConclusionNotice.objects.filter(program__in=programs_for(user).values("pk"))
    if role_of(user) in DRAFT_READERS:
        return notices
    return notices.filter(status__in=PUBLISHED)


def assignments_for(user) -> QuerySet[Assignment]:
    """Assignments a user may follow: all of the province's issued notices for those who read
    a program's internals (drafts' assignments for draft readers too); an agency officer its
    agency's, as lead or coordinating; nobody else."""
    role = role_of(user)
    assignments = Assignment.objects.filter(notice__in=notices_for(user).values("pk"))
    if role in INTERNAL_READERS:
        return assignments
    if role == Role.AGENCY_OFFICER and user.agency_id:
        coordinating = Assignment.coordinating_agencies.through.objects.filter(agency_id=user.agency_id)
        return assignments.filter(
            Q(lead_agency_id=user.agency_id) | Q(pk__in=coordinating.values("assignment_id"))
        ).exclude(notice__status=ConclusionNotice.Status.SUPERSEDED)
    return assignments.none()


def extensions_for(user) -> QuerySet[Extension]:
    return Extension.objects.filter(due__assignment__in=assignments_for(user).values("pk"))


def is_lead_officer(user, assignment: Assignment) -> bool:
    return role_of(user) == Role.AGENCY_OFFICER and assignment.lead_agency_id == user.agency_id


@rule("conclusions.manage")
def _manage(user, program) -> bool:
    """Draft, edit, submit and issue notices; decide extensions."""
    return manages(user, program)


@rule("conclusions.approve")
def _approve(user, notice) -> bool:
    return role_of(user) in (Role.STANDING_COMMITTEE, Role.ADMIN)


@rule("conclusions.view_followup")
def _view_followup(user, program) -> bool:
    """The follow-up of every assignment, the yearly report and the carry-over page."""
    return role_of(user) in INTERNAL_READERS


@rule("conclusions.report")
def _report(user, assignment: Assignment) -> bool:
    return is_lead_officer(user, assignment) or manages(user, assignment.notice.program)


@rule("conclusions.request_extension")
def _request_extension(user, assignment: Assignment) -> bool:
    return is_lead_officer(user, assignment)


@rule("conclusions.decide_extension")
def _decide_extension(user, assignment: Assignment) -> bool:
    return manages(user, assignment.notice.program)


@rule("conclusions.remark")
def _remark(user, assignment: Assignment) -> bool:
    return role_of(user) in (Role.SUPERVISOR, Role.ADMIN)
