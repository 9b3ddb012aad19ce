"""A dialogue program from its first draft to the day it is held: the program, its organizing
committee, the plan and its versions, the preparation roadmap, the agenda, topic groups and
forums. Status changes go through `programs.workflow`; nothing else assigns a status."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.text import nfc
from directory.models import AdminUnit, Agency, StoredFile


class Program(models.Model):
    """Chương trình gặp mặt, đối thoại: one event with its preparation and follow-up."""

    class Audience(models.TextChoices):
        COMMUNE_HEADS = "commune_heads", _("Người đứng đầu cấp ủy, chính quyền cấp xã")
        DEPARTMENT_HEADS = "department_heads", _("Cán bộ lãnh đạo cấp phòng các cơ quan cấp tỉnh")
        CITIZENS = "citizens", _("Nhân dân")

    class Status(models.TextChoices):
        PLANNING = "planning", _("Đang lập kế hoạch")
        PREPARING = "preparing", _("Đang chuẩn bị")
        HELD = "held", _("Đã tổ chức")
        FOLLOWING_UP = "following_up", _("Đang theo dõi thực hiện")
        CLOSED = "closed", _("Đã kết thúc")

    title = models.CharField(_("tên chương trình"), max_length=300)
    host = models.ForeignKey(
        Agency,
        verbose_name=_("cấp ủy tổ chức"),
        on_delete=models.PROTECT,
        related_name="hosted_programs",
        help_text=_("Tỉnh ủy hoặc Huyện ủy có Thường trực chủ trì chương trình."),
    )
    area = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="programs",
        help_text=_("Tỉnh hoặc huyện của chương trình, theo đơn vị hành chính tại thời điểm tổ chức."),
    )
    province = models.ForeignKey(
        AdminUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text=_("Tỉnh hiện nay của địa bàn (sau sắp xếp, nếu có); dùng để phân quyền."),
    )
    audience = models.CharField(_("đối tượng"), max_length=20, choices=Audience.choices)
    edition = models.PositiveSmallIntegerField(_("lần tổ chức"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("chương trình lần trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_editions",
    )
    theme = models.CharField(_("chủ đề"), max_length=300, blank=True)
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    venue = models.CharField(_("địa điểm"), max_length=500, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PLANNING)
    standing_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thường trực"),
        on_delete=models.PROTECT,
        related_name="standing_programs",
    )
    intake_opens = models.DateField(_("mở tiếp nhận câu hỏi từ"), null=True, blank=True)
    intake_closes = models.DateField(_("hạn cuối gửi câu hỏi"), null=True, blank=True)
    delegates_confirm_by = models.DateField(_("hạn xã xác nhận đại biểu"), null=True, blank=True)
    reference_prefix = models.CharField(
        _("tiền tố số hiệu"),
        max_length=12,
        blank=True,
        help_text=_("Dùng để đánh số câu hỏi, đề xuất, ví dụ “ĐT2023”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="program_dates_ordered"),
            models.CheckConstraint(condition=Q(edition__gte=1), name="program_edition_positive"),
            models.CheckConstraint(
                condition=Q(intake_opens__isnull=True)
                | Q(intake_closes__isnull=True)
                | Q(intake_closes__gte=F("intake_opens")),
                name="program_intake_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.theme = nfc(self.theme)
        self.venue = nfc(self.venue)
        # Scoped by today's province, so the organizers of the province that carries the area
        # now (after a merger too) see its past programs.
        self.province_id = self.area.province.current_unit().pk
        super().save(*args, **kwargs)

    def intake_is_open(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return bool(self.intake_opens and self.intake_closes and self.intake_opens <= day <= self.intake_closes)

    @property
    def days(self) -> list[datetime.date]:
        span = (self.end_date - self.start_date).days
        return [self.start_date + datetime.timedelta(days=i) for i in range(span + 1)]


class CommitteeMember(models.Model):
    """A member of the program's organizing committee (Ban tổ chức chương trình)."""

    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        STANDING_DEPUTY = "standing_deputy", _("Phó Trưởng ban Thường trực")
        DEPUTY = "deputy", _("Phó Trưởng ban")
        MEMBER = "member", _("Thành viên")
        SECRETARIAT = "secretariat", _("Tổ giúp việc")

    ROLE_ORDER = [Role.HEAD, Role.STANDING_DEPUTY, Role.DEPUTY, Role.MEMBER, Role.SECRETARIAT]

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="committee"
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_memberships",
    )
    role = models.CharField(_("vai trò trong Ban"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="committee_memberships"
    )
    position = models.CharField(_("chức vụ"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên Ban tổ chức")
        verbose_name_plural = _("thành viên Ban tổ chức")
        ordering = ["program", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program"], condition=Q(role="head"), name="committee_one_head"),
            models.UniqueConstraint(
                fields=["program"], condition=Q(role="standing_deputy"), name="committee_one_standing_deputy"
            ),
            models.UniqueConstraint(
                fields=["program", "user"], condition=Q(user__isnull=False), name="committee_user_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.position}"

    def save(self, *args, **kwargs):
        self.full_name = nfc(self.full_name)
        self.position = nfc(self.position)
        super().save(*args, **kwargs)


class Plan(models.Model):
    """The program's plan (kế hoạch); its text lives in versions."""

    program = models.OneToOneField(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="plan"
    )
    number = models.CharField(_("số kế hoạch"), max_length=40, blank=True, help_text=_("Ví dụ “186-KH/TU”."))

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self) -> str:
        return f"{_('Kế hoạch')} – {self.program}"


# The sections of a plan, in the order an official plan writes them.
PLAN_SECTIONS = [
    ("purpose", _("Mục đích")),
    ("requirements", _("Yêu cầu")),
    ("content", _("Nội dung")),
    ("participants", _("Thành phần tham dự")),
    ("time_place", _("Thời gian, địa điểm")),
    ("agenda", _("Chương trình")),
    ("assignments", _("Phân công nhiệm vụ")),
    ("budget", _("Kinh phí")),
    ("logistics", _("Hậu cần")),
    ("communication", _("Thông tin, tuyên truyền")),
]


class PlanVersion(models.Model):
    """One version of the plan. Only a draft can be edited; a submitted or approved version
    is frozen, and a change is a new version based on it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã trình")
        APPROVED = "approved", _("Đã phê duyệt")
        SUPERSEDED = "superseded", _("Đã được thay thế")

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", verbose_name=_("dựa trên"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sections = models.JSONField(_("nội dung"), default=dict, blank=True)
    change_note = models.CharField(_("ghi chú thay đổi"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiên bản kế hoạch")
        verbose_name_plural = _("phiên bản kế hoạch")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number"),
            models.UniqueConstraint(fields=["plan"], condition=Q(status="approved"), name="planversion_one_approved"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status__in=["draft", "submitted"]), name="planversion_one_open"
            ),
        ]

    def __str__(self) -> str:
        return _("Phiên bản %(n)s") % {"n": self.number}

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def section_items(self) -> list[tuple[str, str, str]]:
        """(key, heading, text) in the official order."""
        return [(key, label, self.sections.get(key, "")) for key, label in PLAN_SECTIONS]


class PlanComment(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_comments")
    section = models.CharField(_("mục"), max_length=20, blank=True, choices=PLAN_SECTIONS)
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến về kế hoạch")
        verbose_name_plural = _("ý kiến về kế hoạch")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class RoadmapTaskQuerySet(models.QuerySet):
    def open(self) -> RoadmapTaskQuerySet:
        return self.exclude(status=RoadmapTask.Status.DONE)

    def overdue(self, today: datetime.date | None = None) -> RoadmapTaskQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_between(self, first: datetime.date, last: datetime.date) -> RoadmapTaskQuerySet:
        """Open tasks due in [first, last]: the reminder sweep's one indexed query."""
        return self.open().filter(due_date__range=(first, last))


class RoadmapTask(models.Model):
    """A preparation task of the roadmap (lộ trình), assigned to a committee member or an agency."""

    class Category(models.TextChoices):
        CONTENT = "content", _("Nội dung")
        LOGISTICS = "logistics", _("Hậu cần")
        SECURITY_TRAFFIC = "security_traffic", _("An ninh, trật tự, giao thông")
        DECORATION = "decoration", _("Trang trí, chỉnh trang đô thị")
        COMMUNICATION_BEFORE = "communication_before", _("Tuyên truyền trước chương trình")
        COMMUNICATION_DURING = "communication_during", _("Tuyên truyền trong chương trình")
        COMMUNICATION_AFTER = "communication_after", _("Tuyên truyền sau chương trình")
        DOCUMENTARY = "documentary", _("Phóng sự")
        SPEECHES = "speeches", _("Tham luận, phát biểu")
        OTHER = "other", _("Khác")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")

    program = models.ForeignKey(Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=300)
    category = models.CharField(_("nhóm việc"), max_length=25, choices=Category.choices)
    assignee_member = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("thành viên phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignee_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadmap_tasks",
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    due_date = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    objects = RoadmapTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ chuẩn bị")
        verbose_name_plural = _("nhiệm vụ chuẩn bị")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_date__gte=F("start_date")), name="task_due_after_start"),
            models.CheckConstraint(
                condition=Q(assignee_member__isnull=False) | Q(assignee_agency__isnull=False),
                name="task_has_assignee",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="task_completed_on_iff_done",
            ),
        ]
        indexes = [
            # The reminder sweep: open tasks by due date.
            models.Index(fields=["due_date"], condition=~Q(status="done"), name="task_open_due_idx"),
            models.Index(fields=["assignee_agency", "status"]),
            models.Index(fields=["program", "category"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.DONE and self.due_date < timezone.localdate()

    @property
    def display_status(self) -> str:
        """The status as shown: an open task past its due date is "Quá hạn"."""
        return str(_("Quá hạn")) if self.is_overdue else self.get_status_display()


class TaskAttachment(StoredFile):
    task = models.ForeignKey(RoadmapTask, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="roadmap/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")


class TopicGroup(models.Model):
    """Nhóm vấn đề: one of the groups a program asks delegates to focus on."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="topic_groups")
    name = models.CharField(_("nhóm vấn đề"), max_length=300)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm vấn đề")
        verbose_name_plural = _("nhóm vấn đề")
        ordering = ["program", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="topicgroup_unique_name")]

    def __str__(self) -> str:
        return self.name


class Forum(models.Model):
    """A parallel discussion forum (diễn đàn) on one topic group."""

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="forums"
    )
    title = models.CharField(_("tên diễn đàn"), max_length=300)
    topic_group = models.ForeignKey(
        TopicGroup, verbose_name=_("nhóm vấn đề"), on_delete=models.PROTECT, related_name="forums"
    )
    chair = models.ForeignKey(
        CommitteeMember, verbose_name=_("chủ trì"), on_delete=models.PROTECT, related_name="chaired_forums"
    )
    co_chairs = models.ManyToManyField(
        CommitteeMember, verbose_name=_("đồng chủ trì"), blank=True, related_name="co_chaired_forums"
    )
    rapporteur = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("thư ký tổng hợp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_forums",
    )
    room = models.CharField(_("phòng, hội trường"), max_length=200)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    capacity = models.PositiveIntegerField(_("sức chứa"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt kết quả"), blank=True)
    history = HistoricalRecords(m2m_fields=[co_chairs])

    class Meta:
        verbose_name = _("diễn đàn")
        verbose_name_plural = _("diễn đàn")
        ordering = ["program", "starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="forum_time_ordered")]

    def __str__(self) -> str:
        return self.title


class ForumNote(models.Model):
    """What the rapporteur records: a point raised by a delegate, or the answer given."""

    class Kind(models.TextChoices):
        POINT = "point", _("Ý kiến nêu ra")
        ANSWER = "answer", _("Giải đáp, trả lời")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    speaker = models.CharField(_("người phát biểu"), max_length=200)
    speaker_unit = models.CharField(_("đơn vị"), max_length=200, blank=True)
    content = models.TextField(_("nội dung"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ghi chép diễn đàn")
        verbose_name_plural = _("ghi chép diễn đàn")
        ordering = ["forum", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.speaker}"


class AgendaSession(models.Model):
    """One session of a program day: flower ceremony, study session, forums, plenary, ..."""

    class Kind(models.TextChoices):
        FLOWER_CEREMONY = "flower_ceremony", _("Lễ dâng hoa")
        STUDY_SESSION = "study_session", _("Học tập, quán triệt")
        FORUMS = "forums", _("Diễn đàn thảo luận")
        PLENARY = "plenary", _("Gặp mặt, đối thoại chính")
        DOCUMENTARY = "documentary", _("Trình chiếu phóng sự")
        SPEECHES = "speeches", _("Tham luận")
        CONCLUSION = "conclusion", _("Kết luận")
        OTHER = "other", _("Khác")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.CASCADE, related_name="agenda"
    )
    kind = models.CharField(_("loại hoạt động"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("nội dung"), max_length=300)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=300)
    chair = models.CharField(_("chủ trì"), max_length=300, blank=True)
    presenters = models.TextField(_("người trình bày"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hoạt động trong chương trình")
        verbose_name_plural = _("hoạt động trong chương trình")
        ordering = ["program", "starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_time_ordered")]

    def __str__(self) -> str:
        return self.title


# Delegates live in their own module; importing them here registers them with the app.
from .delegate_models import CheckIn, Delegate, DelegateImport, DelegatePost, Seat  # noqa: E402, F401
