"""Questions, proposals and recommendations (câu hỏi, đề xuất, kiến nghị) from intake to
answer: the item with its origin communes, its routing to agencies, and its answers.
Every status change goes through `submissions.workflow`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.text import nfc, search_key
from directory.models import AdminUnit, Agency, StoredFile
from programs.models import Program, TopicGroup


class Field(models.Model):
    """Lĩnh vực: the field a submission is about (reference data, shared by all programs)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("lĩnh vực"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Câu hỏi")
        PROPOSAL = "proposal", _("Đề xuất")
        RECOMMENDATION = "recommendation", _("Kiến nghị")

    class Source(models.TextChoices):
        COMMUNE = "commune", _("Xã, phường, thị trấn gửi")
        STAFF = "staff", _("Ban tổ chức nhập thay")
        VILLAGE_MEETING = "village_meeting", _("Hội nghị ở thôn, xóm, tổ dân phố")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        CLASSIFIED = "classified", _("Đã phân loại")
        ROUTED = "routed", _("Đã chuyển cơ quan trả lời")
        ANSWERED = "answered", _("Đã có câu trả lời")
        PUBLISHED = "published", _("Đã công bố câu trả lời")
        CLOSED = "closed", _("Đã kết thúc")
        RETURNED = "returned", _("Trả lại để bổ sung")
        MERGED = "merged", _("Đã gộp vào nội dung khác")
        WITHDRAWN = "withdrawn", _("Đã rút")

    class AnswerMode(models.TextChoices):
        ON_SPOT = "on_spot", _("Trả lời trực tiếp tại chương trình")
        IN_WRITING = "in_writing", _("Trả lời bằng văn bản")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True, editable=False)
    reference = models.CharField(_("số hiệu"), max_length=30, blank=True, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    topic_group = models.ForeignKey(
        TopicGroup,
        verbose_name=_("nhóm vấn đề"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    content = models.TextField(_("nội dung"))
    location = models.CharField(_("nơi phát sinh vấn đề"), max_length=300, blank=True)
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã, phường, thị trấn gửi"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    origins = models.ManyToManyField(
        AdminUnit,
        verbose_name=_("các đơn vị nêu"),
        through="SubmissionOrigin",
        through_fields=("submission", "commune"),
        related_name="raised_submissions",
    )
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.COMMUNE)
    source_note = models.CharField(
        _("ghi chú nguồn"), max_length=300, blank=True, help_text=_("Ví dụ: hội nghị ở thôn nào, ngày nào.")
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    answer_mode = models.CharField(_("hình thức trả lời"), max_length=12, choices=AnswerMode.choices, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("gộp vào"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_items"
    )
    split_from = models.ForeignKey(
        "self", verbose_name=_("tách từ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="split_items"
    )
    public = models.BooleanField(
        _("công bố cho mọi đơn vị"),
        default=False,
        help_text=_("Mọi xã, phường, thị trấn xem được nội dung và trả lời."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # Quy định 11-QĐi/TW: the sender is told within 10 working days that the item was received and where it went.
    acknowledge_due = models.DateField(_("hạn báo đã tiếp nhận"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("đã báo tiếp nhận lúc"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    # How the item stands with its current routing, kept by the workflow (`deadlines.store_facts`)
    # so dashboards read thousands of items from this table alone; lists compute the same facts
    # from the routings and answers (`deadlines.with_deadlines`), and a test holds them equal.
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan đang chủ trì trả lời"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_due = models.DateField(_("hạn trả lời hiện hành"), null=True, blank=True, editable=False)
    routed_at = models.DateTimeField(_("giao trả lời lúc"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("trả lời lần đầu lúc"), null=True, blank=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["search_text", "lead_agency", "answer_due", "routed_at", "answered_at"]
    )

    class Meta:
        verbose_name = _("câu hỏi, đề xuất, kiến nghị")
        verbose_name_plural = _("câu hỏi, đề xuất, kiến nghị")
        ordering = ["program", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], condition=Q(number__isnull=False), name="submission_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="submission_merged_has_target",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False), name="submission_numbered_once_sent"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["commune", "status"]),
            # The acknowledgement sweep: items not yet acknowledged, by due date.
            models.Index(fields=["acknowledge_due"], condition=Q(acknowledged_at__isnull=True), name="sub_ack_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('(nháp)')} {self.title}"

    def save(self, *args, **kwargs):
        self.title = nfc(self.title)
        self.content = nfc(self.content)
        self.location = nfc(self.location)
        self.search_text = search_key(f"{self.reference} {self.title} {self.content} {self.location}")
        super().save(*args, **kwargs)


class SubmissionOrigin(models.Model):
    """A commune that raised the item. Merging keeps every origin on the surviving item."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="origin_links")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    via = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text=_("Nội dung đã gộp.")
    )

    class Meta:
        verbose_name = _("đơn vị nêu")
        verbose_name_plural = _("đơn vị nêu")
        constraints = [models.UniqueConstraint(fields=["submission", "commune"], name="origin_unique")]

    def __str__(self) -> str:
        return str(self.commune)


class Attachment(StoredFile):
    """A file attached to a submission or to an answer (exactly one of them)."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    answer = models.ForeignKey("Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="submissions/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False, answer__isnull=True)
                | Q(submission__isnull=True, answer__isnull=False),
                name="attachment_one_owner",
            )
        ]


class Routing(models.Model):
    """The assignment of an item to a lead agency (and coordinating ones) with a deadline.
    A reassignment closes this row and opens a new one, so the trail stays."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang giao")
        REASSIGN_REQUESTED = "reassign_requested", _("Đề nghị giao lại")
        REASSIGNED = "reassigned", _("Đã giao lại")
        DONE = "done", _("Đã trả lời")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="routings")
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan chủ trì trả lời"), on_delete=models.PROTECT, related_name="lead_routings"
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinating_routings"
    )
    deadline = models.DateField(_("hạn trả lời"))
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    routed_at = models.DateTimeField(_("giao lúc"), default=timezone.now)
    reassign_reason = models.TextField(_("lý do đề nghị giao lại"), blank=True)
    decision_note = models.TextField(_("ý kiến của Ban tổ chức"), blank=True)
    history = HistoricalRecords(m2m_fields=[coordinating_agencies])

    class Meta:
        verbose_name = _("giao trả lời")
        verbose_name_plural = _("giao trả lời")
        ordering = ["submission", "-routed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(status__in=["active", "reassign_requested"]),
                name="routing_one_open_per_submission",
            )
        ]
        indexes = [
            models.Index(fields=["lead_agency", "status"]),
            # The reminder sweep: open routings by deadline.
            models.Index(
                fields=["deadline"],
                condition=Q(status__in=["active", "reassign_requested"]),
                name="routing_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} → {self.lead_agency}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.REASSIGN_REQUESTED)


class Answer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã gửi Ban tổ chức")
        RETURNED = "returned", _("Trả lại để hoàn thiện")
        PUBLISHED = "published", _("Đã công bố")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    mode = models.CharField(_("hình thức"), max_length=12, choices=Submission.AnswerMode.choices)
    text = models.TextField(_("nội dung trả lời"))
    answered_by = models.CharField(
        _("người trả lời"),
        max_length=200,
        blank=True,
        help_text=_("Với trả lời trực tiếp: ai trả lời tại chương trình."),
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    remark = models.TextField(_("ý kiến của Ban tổ chức"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        ordering = ["submission", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} – {self.submission}"

    def save(self, *args, **kwargs):
        self.text = nfc(self.text)
        super().save(*args, **kwargs)

    @property
    def answered_on(self) -> datetime.date | None:
        moment = self.submitted_at or (self.created_at if self.mode == Submission.AnswerMode.ON_SPOT else None)
        return timezone.localdate(moment) if moment else None
