"""What the submission pages share: items fetched through the user's scope, and the program."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from programs.views.common import get_program, program_context

from ..models import Submission
from ..rules import submissions_for


def get_submission(request, pk: int, *, lock_program: int | None = None) -> Submission:
    """The item with `pk` if the user may see it, else 404."""
    items = submissions_for(request.user).select_related(
        "program", "program__standing_agency", "field", "topic_group", "commune", "commune__parent", "merged_into"
    )
    if lock_program is not None:
        items = items.filter(program_id=lock_program)
    return get_object_or_404(items, pk=pk)


__all__ = ["get_program", "get_submission", "program_context"]
