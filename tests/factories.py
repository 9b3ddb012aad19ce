"""factory_boy factories for the directory. Other apps add theirs beside these."""

import datetime

import factory

from directory.models import AdminUnit, Agency, Role, User

PRE_2025 = datetime.date(2004, 1, 1)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit

    level = AdminUnit.Level.PROVINCE
    kind = AdminUnit.Kind.TINH
    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    valid_from = PRE_2025


class DistrictFactory(ProvinceFactory):
    level = AdminUnit.Level.DISTRICT
    kind = AdminUnit.Kind.HUYEN
    code = factory.Sequence(lambda n: f"8{n:03d}")
    name = factory.Sequence(lambda n: f"Huyện Ngọc Sơn {n}")
    parent = factory.SubFactory(ProvinceFactory)


class CommuneFactory(ProvinceFactory):
    level = AdminUnit.Level.COMMUNE
    kind = AdminUnit.Kind.XA
    code = factory.Sequence(lambda n: f"7{n:04d}")
    name = factory.Sequence(lambda n: f"Nghĩa Đồng {n}")
    parent = factory.SubFactory(DistrictFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"co-quan-{n}")
    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm Số {n}")
    short_name = factory.Sequence(lambda n: f"Sở TN {n}")
    kind = Agency.Kind.DEPARTMENT
    province = factory.SubFactory(ProvinceFactory)
    email = factory.LazyAttribute(lambda a: f"{a.code}@example.org")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.ORGANIZER
    agency = factory.SubFactory(AgencyFactory)
    commune = None
    password = factory.django.Password("MatKhau@2023")

    class Params:
        commune_leader = factory.Trait(
            role=Role.COMMUNE_LEADER, agency=None, commune=factory.SubFactory(CommuneFactory)
        )


# --- programs ---------------------------------------------------------------------------------


def make_program(province, host, standing_agency, *, by=None, **fields):
    """A program through the workflow (so it has its plan and first draft), as views create it."""
    from programs import workflow

    values = {
        "title": "Chương trình gặp mặt, đối thoại năm 2023",
        "area": province,
        "audience": "commune_heads",
        "start_date": datetime.date(2023, 8, 3),
        "end_date": datetime.date(2023, 8, 4),
        "theme": "Đoàn kết - Dân chủ - Sáng tạo - Phát triển",
        "venue": "Nhà Văn hóa Lao động tỉnh",
    }
    values.update(fields)
    return workflow.create_program(by=by, host=host, standing_agency=standing_agency, **values)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.CommitteeMember"

    full_name = factory.Sequence(lambda n: f"Thành Viên Số {n}")
    position = "Phó Trưởng ban"
    role = "member"
    agency = factory.SubFactory(AgencyFactory)


class RoadmapTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.RoadmapTask"

    title = factory.Sequence(lambda n: f"Chuẩn bị hậu cần đợt {n}")
    category = "logistics"
    start_date = datetime.date(2023, 6, 1)
    due_date = datetime.date(2023, 7, 20)


NOTICE_DEFAULTS = {
    "issuing_body": "TỈNH ỦY NGHỆ AN",
    "place": "Nghệ An",
    "summary": "kết luận của Thường trực Tỉnh ủy tại Chương trình gặp mặt, đối thoại năm 2023",
    "assessment": "Chương trình diễn ra nghiêm túc, dân chủ, thẳng thắn.",
    "recipients": "Các đảng ủy xã, phường, thị trấn\nCác sở, ban, ngành\nLưu Văn phòng Tỉnh ủy",
    "signing_form": "T/L",
    "signing_body": "BAN THƯỜNG VỤ",
    "signer_title": "CHÁNH VĂN PHÒNG",
    "signer_name": "Nguyễn Văn Hành",
}


def make_notice(program, *, by, key_tasks=("Nâng cao chất lượng đội ngũ cán bộ cơ sở",), **fields):
    """A draft notice of conclusions of `program`, through the workflow."""
    from conclusions import workflow

    notice = workflow.create_notice(program, by=by, **{**NOTICE_DEFAULTS, **fields})
    workflow.save_key_tasks(notice, list(key_tasks), by=by)
    return notice


def add_assignment(notice, lead, *, by, coordinating=(), submissions=(), **fields):
    from conclusions import workflow
    from conclusions.models import Assignment

    values = {"text": f"{lead.name} chủ trì thực hiện", "schedule": Assignment.Schedule.DEADLINE}
    values.update(fields)
    dated = values.get("deadline") or values.get("working_days")
    if values["schedule"] == Assignment.Schedule.DEADLINE and not dated:
        values["working_days"] = 30
    assignment = Assignment(notice=notice, lead_agency=lead, **values)
    return workflow.save_assignment(assignment, by=by, coordinating=coordinating, submissions=submissions)


def issue_notice(notice, *, organizer, approver, sequence=1029, issued_on=None):
    """Submit, approve and issue `notice` (dated today unless said otherwise)."""
    from django.utils import timezone

    from conclusions import workflow

    workflow.submit(notice, by=organizer)
    workflow.approve(notice, by=approver)
    return workflow.issue(notice, by=organizer, sequence=sequence, issued_on=issued_on or timezone.localdate())
