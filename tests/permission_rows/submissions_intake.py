"""Permission rows of intake: the program's tab, the commune's own list, the item form, the
item page's buttons (POST only: a GET is 405) and the download of attachments.

The world's commune leader is commune A's; the agency officer is agency X's, to which commune
A's item is routed; commune B's items are nobody's business but B's and the staff's. Another
province's program is a 404 for all but the administrator.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from directory.models import Role

from . import expect

MATRIX_FILE = "submissions/ma-tran-quyen/bien-ban.pdf"
STAFF_ONLY = {"organizer": 200, "admin": 200}
# Organizers and the administrator triage: the tab sends them to the triage list.
TAB = expect(200, organizer=302, admin=302)
POST_ONLY = expect(405)


def attachment(*, submission=None, answer=None):
    """An attachment of an item or of an answer, its file written once to storage."""
    from submissions.models import Attachment

    if not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return Attachment.objects.create(
        submission=submission,
        answer=answer,
        file=MATRIX_FILE,
        original_name="Biên bản họp dân.pdf",
        content_type="application/pdf",
        size=15,
    )


def draft_of(leader, commune, program):
    """A draft that `leader` started for `commune`."""
    from submissions import workflow
    from submissions.models import Submission

    return workflow.save_draft(
        Submission(
            program=program,
            kind="question",
            title="Bản nháp: đường vào khu tái định cư",
            content="Khi nào làm đường vào khu tái định cư?",
            commune=commune,
        ),
        by=leader,
    )


def draft_a(w):
    return {"pk": draft_of(w.users[Role.COMMUNE_LEADER], w.commune_a, w.program).pk}


def draft_b(w):
    return {"pk": draft_of(w.users["commune_leader_b"], w.commune_b, w.program).pk}


def item_a_file(w):
    return {"pk": attachment(submission=w.item_a).pk}


def item_b_file(w):
    return {"pk": attachment(submission=w.item_b).pk}


def answer_file(w):
    """A file of the published answer to commune B's item (answered by agency Y)."""
    return {"pk": attachment(answer=w.item_published.answers.get()).pk}


def program(w):
    return {"program_pk": w.program.pk}


def other_program(w):
    return {"program_pk": w.other_program.pk}


ROWS = {
    "submissions:program_items": (program, TAB),
    "submissions:create": (program, expect(403, commune_leader=200, **STAFF_ONLY)),
    "submissions:mine": (None, expect(403, commune_leader=200)),
    # Commune A's leader's draft: the leader and the organizers edit it; the Standing Committee
    # sees it but may not edit (403); agencies and the supervisor never see drafts (404).
    "submissions:edit": (
        draft_a,
        expect(403, commune_leader=200, agency_officer=404, supervisor=404, **STAFF_ONLY),
    ),
    "submissions:submit": (draft_a, POST_ONLY),
    "submissions:withdraw": (draft_a, POST_ONLY),
    "submissions:attachment_upload": (draft_a, POST_ONLY),
    # A file of commune A's item, routed to agency X: the supervisor reads published results only.
    "submissions:attachment": (
        item_a_file,
        expect(200, supervisor=404),
    ),
}

OWN = [
    # Commune B's items and files are not commune A's business: not found, whatever the page.
    ("submissions:edit", draft_b, Role.COMMUNE_LEADER, 404),
    ("submissions:edit", draft_b, "commune_leader_b", 200),
    ("submissions:attachment", item_b_file, Role.COMMUNE_LEADER, 404),
    ("submissions:attachment", item_b_file, Role.AGENCY_OFFICER, 404),
    ("submissions:attachment", item_b_file, "commune_leader_b", 200),
    # A sent item is no longer editable, even by its own commune.
    ("submissions:edit", lambda w: {"pk": w.item_a.pk}, Role.COMMUNE_LEADER, 403),
    ("submissions:edit", lambda w: {"pk": w.item_b.pk}, Role.COMMUNE_LEADER, 404),
    # The published answer's file: its commune, the answering agency, the supervisor and staff.
    ("submissions:attachment", answer_file, "commune_leader_b", 200),
    ("submissions:attachment", answer_file, "agency_officer_y", 200),
    ("submissions:attachment", answer_file, Role.SUPERVISOR, 200),
    ("submissions:attachment", answer_file, Role.ORGANIZER, 200),
    ("submissions:attachment", answer_file, Role.COMMUNE_LEADER, 404),
    ("submissions:attachment", answer_file, Role.AGENCY_OFFICER, 404),
    # Another province's program: not found for all but the administrator.
    *[
        (name, other_program, role, {Role.ADMIN: 200}.get(role, 404))
        for name in ("submissions:create",)
        for role in Role.values
    ],
    *[
        (name, other_program, role, {Role.ADMIN: 302}.get(role, 404))
        for name in ("submissions:program_items",)
        for role in Role.values
    ],
]
