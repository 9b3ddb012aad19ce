"""Permission rows of routing, answers and the submissions' documents.

The world's commune leader is commune A's; the agency officer is agency X's. Commune A's
`item_a` is routed to X, so X's officer may answer it and open the answer form; commune B's
`item_b` (sent, not routed) and `item_published` (answered by agency Y) are not X's: 404.
Organizers (and the administrator) route, decide reassignments and review answers; the
Standing Committee reads (403 on every act). The acts without a form are POST only (a GET is
405). The to-do list is the agency officer's alone. Documents: the list for the organizers and
the Standing Committee, the answers compendium also for the supervisor. Another province's
program and items are a 404 for all but the administrator.
"""

from directory.models import Role

from . import expect

MANAGERS = {"organizer": 200, "admin": 200}
POST_ONLY = expect(405)
LIST_READERS = {"organizer": 200, "admin": 200, "standing_committee": 200}
COMPENDIUM_READERS = {**LIST_READERS, "supervisor": 200}


def item_a(w):
    return {"pk": w.item_a.pk}


def item_b(w):
    return {"pk": w.item_b.pk}


def item_published(w):
    return {"pk": w.item_published.pk}


def published_answer(w):
    return {"pk": w.item_published.pk, "answer_pk": w.item_published.answers.get().pk}


def program(w):
    return {"program_pk": w.program.pk}


def other_program(w):
    return {"program_pk": w.other_program.pk}


def other_item(w):
    """A sent item of another province's program (Hà Tĩnh)."""
    from submissions import workflow
    from submissions.models import Submission
    from tests.factories import CommuneFactory, DistrictFactory, UserFactory

    province = w.other_program.province
    commune = CommuneFactory(parent=DistrictFactory(parent=province), name="Thạch Kim")
    leader = UserFactory(commune_leader=True, commune=commune)
    item = workflow.save_draft(
        Submission(
            program=w.other_program,
            kind="question",
            title="Kè chống sạt lở bờ biển Thạch Kim",
            content="Đề nghị làm kè chống sạt lở.",
            commune=commune,
        ),
        by=leader,
    )
    Submission.objects.filter(pk=item.pk).update(status=Submission.Status.SUBMITTED, number=1, reference="HT-001")
    return {"pk": item.pk}


ROWS = {
    # Routing: commune B's item, sent and not routed yet.
    "submissions:route": (item_b, expect(404, standing_committee=403, **MANAGERS)),
    "submissions:acknowledge": (item_b, POST_ONLY),
    # The reassignment request of X's officer on item A; the decision page for the organizers.
    "submissions:request_reassign": (item_a, POST_ONLY),
    "submissions:decide_reassign": (
        item_a,
        expect(403, supervisor=404, **MANAGERS),
    ),
    "submissions:agency_todo": (None, expect(403, agency_officer=200)),
    # Answers: X's officer writes the answer to item A; the others who see item A may not.
    "submissions:answer_edit": (item_a, expect(403, supervisor=404, agency_officer=200)),
    "submissions:answer_submit": (published_answer, POST_ONLY),
    "submissions:answer_publish": (published_answer, POST_ONLY),
    "submissions:answer_return": (published_answer, POST_ONLY),
    "submissions:answer_on_spot": (item_b, expect(404, standing_committee=403, **MANAGERS)),
    "submissions:close": (item_published, POST_ONLY),
    # Documents of the program.
    "submissions:list_pdf": (program, expect(403, **LIST_READERS)),
    "submissions:answers_pdf": (program, expect(403, **COMPENDIUM_READERS)),
    "submissions:answers_xlsx": (program, expect(403, **COMPENDIUM_READERS)),
}

ITEM_FORMS = ["submissions:route", "submissions:decide_reassign", "submissions:answer_on_spot"]
DOCUMENTS = ["submissions:list_pdf", "submissions:answers_pdf", "submissions:answers_xlsx"]

OWN = [
    # Agency X's officer: item B and agency Y's published item do not exist for them.
    ("submissions:answer_edit", item_b, Role.AGENCY_OFFICER, 404),
    ("submissions:answer_edit", item_published, Role.AGENCY_OFFICER, 404),
    ("submissions:route", item_b, Role.AGENCY_OFFICER, 404),
    ("submissions:decide_reassign", item_published, Role.AGENCY_OFFICER, 404),
    # Agency Y answered and its routing is done: it sees the item but may not answer again.
    ("submissions:answer_edit", item_published, "agency_officer_y", 403),
    # Commune B's leader sees its published item, but neither routes nor answers.
    ("submissions:answer_edit", item_published, "commune_leader_b", 403),
    ("submissions:route", item_published, "commune_leader_b", 403),
    # The organizers open the route page of a routed item (it says why it cannot be routed).
    ("submissions:route", item_a, Role.ORGANIZER, 200),
    # Another province: its program's documents and its items are not found, but by the administrator.
    *[
        (name, other_program, role, 200 if role == Role.ADMIN else 404)
        for name in DOCUMENTS
        for role in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE, Role.SUPERVISOR)
    ],
    *[
        (name, other_item, role, 200 if role == Role.ADMIN else 404)
        for name in ITEM_FORMS
        for role in (Role.ADMIN, Role.ORGANIZER, Role.STANDING_COMMITTEE)
    ],
    ("submissions:answer_edit", other_item, Role.AGENCY_OFFICER, 404),
]
