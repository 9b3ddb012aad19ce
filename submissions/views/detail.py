"""The page of one item: what was asked, by which communes, where it went, the answers, and
the timeline of everything that happened. Each area adds its panel (triage, routing, answer)
through an include that receives the flags computed here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from directory.audit import actions_for
from directory.permissions import can

from ..deadlines import ANSWERED_STATUSES, deadline_state
from ..models import Routing
from ..rules import published_answers
from .common import get_submission
from .intake import intake_panel_context


@login_required
def detail(request, pk: int):
    item = get_submission(request, pk)
    user = request.user
    show_internal = can(user, "submissions.view_internal", item)
    routings = list(item.routings.select_related("lead_agency", "routed_by").prefetch_related("coordinating_agencies"))
    open_routing = next((r for r in routings if r.is_open), None)
    answers = list(published_answers(item, user).prefetch_related("attachments"))
    first_answer = min(
        (a.answered_on for a in answers if a.answered_on and a.status in ANSWERED_STATUSES), default=None
    )
    current = open_routing or next((r for r in routings if r.status == Routing.Status.DONE), None)
    context = {
        "item": item,
        "origins": item.origin_links.select_related("commune", "commune__parent", "via"),
        "attachments": item.attachments.all(),
        "routings": routings if show_internal else [],
        "open_routing": open_routing,
        "answers": answers,
        "deadline_state": deadline_state(current.deadline, first_answer) if current else None,
        "timeline": actions_for(item)[:50] if show_internal else [],
        "merged_items": item.merged_items.all(),
        "show_internal": show_internal,
        "can_edit": can(user, "submissions.edit_own", item),
        "can_triage": can(user, "submissions.triage", item.program),
        "can_answer": can(user, "submissions.answer", item),
        "can_request_reassignment": open_routing is not None
        and can(user, "submissions.request_reassignment", open_routing),
    }
    context.update(intake_panel_context(request, item))
    return render(request, "submissions/detail.html", context)


urlpatterns = [path("cau-hoi/<int:pk>/", detail, name="detail")]
