"""Who may see and do what in the programs app. Registered with `directory.permissions`,
which stays the one place that decides; views call `can()` and the scoping functions here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from directory.models import Role
from directory.permissions import WIDE_READERS, province_id_of, role_of, rule

from .models import CommitteeMember, Forum, Program, RoadmapTask

# Roles that see a program's internals: committee, plan drafts, the whole roadmap.
INTERNAL_READERS = frozenset({Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR, Role.ADMIN})


def programs_for(user) -> QuerySet[Program]:
    """Programs a user may open. Administrators: all. Everyone else: their province's programs,
    whose public parts (overview, agenda, forums) concern every delegate and answering agency;
    internals (committee, plan, whole roadmap) are guarded by `sees_internals`."""
    role = role_of(user)
    if role is None:
        return Program.objects.none()
    if role == Role.ADMIN:
        return Program.objects.all()
    province = province_id_of(user)
    return Program.objects.filter(province_id=province)


def sees_internals(user, program: Program | None = None) -> bool:
    return role_of(user) in INTERNAL_READERS


def tasks_for(user, program: Program) -> QuerySet[RoadmapTask]:
    """Roadmap tasks of `program` the user may see: all for internal readers; an agency
    officer sees its agency's tasks and those assigned to them as a committee member."""
    tasks = RoadmapTask.objects.filter(program=program)
    role = role_of(user)
    if role in INTERNAL_READERS:
        return tasks
    if role == Role.AGENCY_OFFICER:
        return tasks.filter(Q(assignee_agency_id=user.agency_id) | Q(assignee_member__user=user))
    return tasks.none()


def manages(user, program: Program | None) -> bool:
    """Organizers of the program's province and administrators change a program."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role != Role.ORGANIZER:
        return False
    return program is None or program.province_id == province_id_of(user)


def committee_member(user, program: Program) -> CommitteeMember | None:
    return next((m for m in program.committee.all() if m.user_id == user.pk), None)


@rule("programs.create")
def _create(user, obj) -> bool:
    return manages(user, None)


@rule("programs.manage")
def _manage(user, program) -> bool:
    return manages(user, program)


@rule("programs.view_internals")
def _view_internals(user, program) -> bool:
    return sees_internals(user, program)


@rule("programs.view_roadmap")
def _view_roadmap(user, program) -> bool:
    return sees_internals(user, program) or role_of(user) == Role.AGENCY_OFFICER


@rule("programs.approve_plan")
def _approve_plan(user, program) -> bool:
    role = role_of(user)
    if role in (Role.ADMIN, Role.STANDING_COMMITTEE):
        return True
    member = committee_member(user, program) if program is not None else None
    return member is not None and member.role == CommitteeMember.Role.HEAD


@rule("programs.comment_plan")
def _comment_plan(user, program) -> bool:
    return (
        manages(user, program)
        or role_of(user) == Role.STANDING_COMMITTEE
        or (program is not None and committee_member(user, program) is not None)
    )


@rule("programs.update_task")
def _update_task(user, task: RoadmapTask) -> bool:
    if manages(user, task.program):
        return True
    if role_of(user) == Role.AGENCY_OFFICER and task.assignee_agency_id == user.agency_id:
        return True
    return task.assignee_member_id is not None and task.assignee_member.user_id == user.pk


@rule("programs.record_forum")
def _record_forum(user, forum: Forum) -> bool:
    if manages(user, forum.program):
        return True
    people = [forum.chair, forum.rapporteur]
    return any(member is not None and member.user_id == user.pk for member in people)


@rule("programs.view_public")
def _view_public(user, program) -> bool:
    """Agenda, forums and the consolidated forum report are for every delegate too."""
    return role_of(user) in (*WIDE_READERS, Role.COMMUNE_LEADER, Role.AGENCY_OFFICER)


# --- delegates (đại biểu) ----------------------------------------------------------------------


def leads_commune(user, commune_id: int | None) -> bool:
    """A commune leader of `commune_id` (or of the commune that absorbed it in a merger)."""
    if role_of(user) != Role.COMMUNE_LEADER or commune_id is None or not user.commune_id:
        return False
    return commune_id == user.commune_id or commune_id in leader_communes(user)


def leader_communes(user) -> set[int]:
    """The communes whose seats a commune leader confirms: their own and those it absorbed."""
    cached = getattr(user, "_delegate_communes", None)
    if cached is None:
        from directory.models import AdminUnit

        cached = {user.commune_id, *AdminUnit.objects.filter(successor_id=user.commune_id).values_list("pk", flat=True)}
        user._delegate_communes = cached
    return cached


@rule("programs.view_delegates")
def _view_delegates(user, program) -> bool:
    """Organizers, the Standing Committee, the supervisor and administrators see the whole list;
    a commune leader sees only their own commune's page (the list sends them there)."""
    return role_of(user) in (*INTERNAL_READERS, Role.COMMUNE_LEADER)


@rule("programs.manage_delegates")
def _manage_delegates(user, program) -> bool:
    return manages(user, program)


@rule("programs.confirm_delegates")
def _confirm_delegates(user, seat_or_program) -> bool:
    """Confirm who comes, excuse, name a substitute: the organizers for any commune, a commune
    leader for their own commune's seats. With a program (no seat): may confirm for some commune."""
    program = getattr(seat_or_program, "program", seat_or_program)
    if manages(user, program):
        return True
    if role_of(user) != Role.COMMUNE_LEADER:
        return False
    commune_id = getattr(seat_or_program, "commune_id", None)
    return commune_id is None or leads_commune(user, commune_id)
