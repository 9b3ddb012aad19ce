"""Official documents of a program as PDF, and the parts every program document shares:
the issuer lines, the place, the signature of the committee head, the recipients.

The decision forming the organizing committee is here; the plan PDF (programs.views.plan)
builds on the same parts. The frame itself is templates/documents/base_official.html."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path

from dialogue.pdf import pdf_response, render_pdf
from dialogue.text import search_key
from directory.permissions import require

from ..models import CommitteeMember, Program
from .committee import ordered_committee
from .common import get_program


def _strip_suffix(text: str, suffix: str) -> str:
    if suffix and text.casefold().endswith(suffix.casefold()) and len(text) > len(suffix):
        return text[: -len(suffix)].strip(" ,-–")
    return text


def host_short_name(program: Program) -> str:
    """The host without its area, as documents write it: "Tỉnh ủy Nghệ An" -> "Tỉnh ủy"."""
    return _strip_suffix(program.host.name, program.area.name)


def issuer_lines(program: Program, *, with_standing_agency: bool = False) -> list[str]:
    """The header's issuing body: the host ("TỈNH ỦY NGHỆ AN"), and below it the standing
    agency without the host's name ("BAN DÂN VẬN") when that agency issues the document."""
    host = program.host.name
    lines = [host.upper()]
    if with_standing_agency and program.standing_agency_id != program.host_id:
        agency = program.standing_agency.name
        for suffix in (host, host_short_name(program)):
            agency = _strip_suffix(agency, suffix)
        lines.append(agency.upper())
    return lines


def document_place(program: Program) -> str:
    """The place of the date line: the province or district without its kind ("Nghệ An")."""
    return program.area.name


def head_of(members) -> CommitteeMember | None:
    return next((m for m in members if m.role == CommitteeMember.Role.HEAD), None)


def head_signature(program: Program, head: CommitteeMember | None) -> dict[str, str]:
    """Signed on behalf of the Standing Board by the committee head, whose title is the first
    part of their position without the host ("Phó Bí thư Tỉnh ủy" -> "PHÓ BÍ THƯ")."""
    signature = {"form": "T/M BAN THƯỜNG VỤ"}
    if head is not None:
        title = head.position.split(",")[0].strip()
        for suffix in (program.host.name, host_short_name(program)):
            title = _strip_suffix(title, suffix)
        signature.update(title=title.upper(), signer=head.full_name)
    return signature


# Long names that positions usually abbreviate ("Chủ tịch UBND tỉnh"), as search keys.
_ABBREVIATIONS = {"uy ban nhan dan": "ubnd", "hoi dong nhan dan": "hdnd", "mat tran to quoc": "mttq"}


def _comparable(text: str) -> str:
    key = search_key(text)
    for long, short in _ABBREVIATIONS.items():
        key = key.replace(long, short)
    return key


def member_line(member: CommitteeMember, area_name: str = "") -> str:
    """ "Đồng chí Lê Văn A, Giám đốc Sở Giao thông vận tải, <agency>", the agency left out when
    the position already names it ("Trưởng ban Dân vận Tỉnh ủy" for "Ban Dân vận Tỉnh ủy Nghệ An",
    "Chủ tịch UBND tỉnh" for "Ủy ban nhân dân tỉnh Nghệ An")."""
    line = f"Đồng chí {member.full_name}, {member.position}"
    if _comparable(_strip_suffix(member.agency.name, area_name)) not in _comparable(member.position):
        line += f", {member.agency.name}"
    return line


def program_name(program: Program) -> str:
    """The program as a document names it: always starting with "Chương trình"."""
    title = program.title
    return title if title.casefold().startswith("chương trình") else f"Chương trình {title}"


def committee_groups(members: list[CommitteeMember], area_name: str = "") -> list[dict]:
    """Members grouped by role in the order of CommitteeMember.ROLE_ORDER, empty roles left out."""
    groups = []
    for role in CommitteeMember.ROLE_ORDER:
        people = [member_line(m, area_name) for m in members if m.role == role]
        if people:
            groups.append({"label": CommitteeMember.Role(role).label, "lines": people})
    return groups


def committee_decision_context(program: Program) -> dict:
    members = list(ordered_committee(program))
    host_short = host_short_name(program)
    return {
        "issuer": issuer_lines(program),
        "number": "",  # numbered and dated by the office when signed
        "place": document_place(program),
        "date": None,
        "doc_type": "QUYẾT ĐỊNH",
        "summary": f"về việc thành lập Ban tổ chức {program_name(program)}",
        "program": program,
        "program_name": program_name(program),
        "host_short": host_short,
        "groups": committee_groups(members, program.area.name),
        "recipients": [f"Thường trực {host_short} (để b/c)", "Như Điều 3", f"Lưu Văn phòng {host_short}"],
        "signature": head_signature(program, head_of(members)),
    }


@login_required
def committee_decision(request, pk: int):
    program = get_program(request, pk)
    require(request.user, "programs.view_internals", program)
    pdf = render_pdf("documents/committee_decision.html", committee_decision_context(program), request=request)
    return pdf_response(pdf, f"Quyết định thành lập Ban tổ chức chương trình {program.start_date.year}.pdf")


urlpatterns = [path("<int:pk>/ban-to-chuc/quyet-dinh.pdf", committee_decision, name="committee_decision")]
