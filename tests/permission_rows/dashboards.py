"""Permission rows of the dashboards. The Standing Committee, organizers, the supervisor and
administrators see their province's dashboards (a program of another province is a 404); an
agency officer sees only their own agency's scorecard (the scorecard list sends them there,
another agency's page is refused) and a commune leader only their own commune's page (another
commune is a 404: it is outside their scope). The lists behind the numbers open for everyone
and show only what each may see; "Kết quả của đơn vị" sends each to their own page."""

from directory.models import Role

from . import expect

PROVINCE = expect(200, agency_officer=403, commune_leader=403)
AGENCY = expect(200, commune_leader=403)
COMMUNE = expect(200, agency_officer=403)


def program(w):
    return {"pk": w.program.pk}


def agency_x(w):
    return {"pk": w.agency_x.pk}


def commune_a(w):
    return {"pk": w.commune_a.pk}


def formats(name, kwargs_of, expected):
    return {f"dashboards:{name}{suffix}": (kwargs_of, expected) for suffix in ("", "_pdf", "_xlsx")}


ROWS = {
    **formats("overview", None, PROVINCE),
    **formats("map", None, PROVINCE),
    **formats("program", program, PROVINCE),
    **formats("agencies", None, expect(200, agency_officer=302, commune_leader=403)),
    **formats("agency", agency_x, AGENCY),
    **formats("commune", commune_a, COMMUNE),
    "dashboards:mine": (None, expect(302)),
    "dashboards:submissions": (None, expect(200)),
    "dashboards:submissions_xlsx": (None, expect(200)),
    "dashboards:assignments": (None, expect(200)),
    "dashboards:assignments_xlsx": (None, expect(200)),
}

OWN = [
    # Another province's program, another agency, another commune.
    ("dashboards:program", lambda w: {"pk": w.other_program.pk}, Role.STANDING_COMMITTEE, 404),
    ("dashboards:program", lambda w: {"pk": w.other_program.pk}, Role.ORGANIZER, 404),
    ("dashboards:program_pdf", lambda w: {"pk": w.other_program.pk}, Role.SUPERVISOR, 404),
    ("dashboards:agency", lambda w: {"pk": w.agency_y.pk}, Role.AGENCY_OFFICER, 403),
    ("dashboards:agency_xlsx", lambda w: {"pk": w.agency_y.pk}, Role.AGENCY_OFFICER, 403),
    ("dashboards:commune", lambda w: {"pk": w.commune_b.pk}, Role.COMMUNE_LEADER, 404),
    ("dashboards:commune_pdf", lambda w: {"pk": w.commune_b.pk}, Role.COMMUNE_LEADER, 404),
    ("dashboards:agency", lambda w: {"pk": w.other_program.host_id}, Role.STANDING_COMMITTEE, 403),
]
