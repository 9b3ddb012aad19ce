"""Permission rows of triage: the program's triage list, its export and bulk action; an item's
classification, return, similar items, merge and split pages.

Only organizers (of the province) and administrators triage. On the program pages everyone
else who may open the program is refused (403). On an item's pages the item decides first:
`w.item_b` (commune B's, sent, not routed) is not found (404) for commune A's leader, agency
X's officer and the supervisor, and refused (403) for the Standing Committee; commune B's own
leader is refused too. Another province's program or item is a 404 for all but the administrator.
"""

from directory.models import Role

from . import expect

TRIAGERS = {"organizer": 200, "admin": 200}
PROGRAM_PAGES = ["submissions:triage", "submissions:triage_export"]
ITEM_PAGES = ["submissions:classify", "submissions:similar", "submissions:merge", "submissions:split"]
ITEM_POSTS = ["submissions:return_to_sender"]
# Item B is none of their business: not found rather than refused.
ITEM = expect(403, commune_leader=404, agency_officer=404, supervisor=404, **TRIAGERS)


def program(w):
    return {"program_pk": w.program.pk}


def item_b(w):
    return {"pk": w.item_b.pk}


def other_item(w):
    """A sent item of the other province's program, made once per test."""
    from submissions import workflow
    from submissions.models import Field, Submission
    from tests.factories import CommuneFactory, UserFactory

    item = Submission.objects.filter(program=w.other_program).first()
    if item is None:
        commune = CommuneFactory(parent__parent=w.other_program.area, name="Thạch Hà")
        leader = UserFactory(commune_leader=True, commune=commune)
        item = Submission(
            program=w.other_program,
            kind="question",
            field=Field.objects.get(code="khac"),
            title="Hỗ trợ nhà ở cho hộ nghèo",
            content="Nội dung ở Hà Tĩnh.",
            commune=commune,
            created_by=leader,
        )
        item.save()
        w.other_program.intake_opens = w.program.intake_opens
        w.other_program.intake_closes = w.program.intake_closes
        w.other_program.save()
        item = workflow.submit(item, by=leader)
    return {"pk": item.pk}


ROWS = {
    "submissions:triage": (program, expect(403, **TRIAGERS)),
    "submissions:triage_export": (program, expect(403, **TRIAGERS)),
    # POST only: a GET is refused whoever asks (after the login).
    "submissions:triage_bulk": (program, expect(405)),
    "submissions:classify": (item_b, ITEM),
    "submissions:return_to_sender": (item_b, expect(405)),
    "submissions:similar": (item_b, ITEM),
    "submissions:merge": (item_b, ITEM),
    "submissions:split": (item_b, ITEM),
}

OWN = [
    # Commune B's leader sees item B (it is theirs) but does not triage it.
    *[(name, item_b, "commune_leader_b", 403) for name in ITEM_PAGES],
    # Agency Y's officer was never routed item B either.
    *[(name, item_b, "agency_officer_y", 404) for name in ITEM_PAGES],
    # Another province's program and item: not found for all but the administrator.
    *[
        (name, lambda w: {"program_pk": w.other_program.pk}, role, 200 if role == Role.ADMIN else 404)
        for name in PROGRAM_PAGES
        for role in Role.values
    ],
    *[(name, other_item, role, 200 if role == Role.ADMIN else 404) for name in ITEM_PAGES for role in Role.values],
]
