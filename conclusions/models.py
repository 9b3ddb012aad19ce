"""The notice of conclusions (thông báo kết luận) a program ends with, its key tasks, the
assignments it gives agencies, the dates each assignment owes (a deadline or the report dates
of a reporting cycle), progress reports with evidence, deadline extensions and the Fatherland
Front's supervision remarks. Every status change goes through `conclusions.workflow`; how an
assignment stands is computed from dates in `conclusions.status`, never typed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.text import nfc, nfc_text, search_key
from directory.models import Agency, StoredFile
from programs.models import Program
from submissions.models import Submission


class ConclusionNotice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đã trình duyệt")
        APPROVED = "approved", _("Đã duyệt")
        ISSUED = "issued", _("Đã ban hành")
        SUPERSEDED = "superseded", _("Đã được thay thế")

    class SigningForm(models.TextChoices):
        ON_BEHALF = "T/M", _("T/M (thay mặt tập thể)")
        FOR = "K/T", _("K/T (ký thay người đứng đầu)")
        BY_ORDER = "T/L", _("T/L (thừa lệnh)")
        NONE = "", _("Người đứng đầu ký trực tiếp")

    program = models.ForeignKey(
        Program, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="notices"
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("đính chính, thay thế thông báo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Số 1029-TB/TU: sequence, document type, issuer. The sequence is given at issue.
    sequence = models.PositiveIntegerField(_("số"), null=True, blank=True)
    doc_type = models.CharField(_("loại văn bản (viết tắt)"), max_length=10, default="TB")
    issuer_code = models.CharField(_("cơ quan ban hành (viết tắt)"), max_length=20, default="TU")
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    issuing_body = models.TextField(
        _("cơ quan ban hành"), help_text=_("Mỗi dòng một cấp, cấp trên trước, ví dụ “TỈNH ỦY NGHỆ AN”.")
    )
    place = models.CharField(_("địa danh"), max_length=100)
    summary = models.CharField(_("trích yếu"), max_length=500)
    assessment = models.TextField(_("đánh giá"), blank=True)
    key_tasks_intro = models.TextField(_("dẫn vào nhiệm vụ trọng tâm"), blank=True)
    closing = models.TextField(_("phần kết"), blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    signing_form = models.CharField(
        _("hình thức ký"), max_length=3, choices=SigningForm.choices, blank=True, default=SigningForm.ON_BEHALF
    )
    signing_body = models.CharField(_("tập thể hoặc người đứng đầu"), max_length=200, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200)
    signer_name = models.CharField(_("người ký"), max_length=200)
    remark = models.TextField(_("ý kiến khi trả lại"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thông báo kết luận")
        verbose_name_plural = _("thông báo kết luận")
        ordering = ["program", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_code", "doc_type", "issued_year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="notice_unique_number_per_issuer_year",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "superseded"]) | Q(sequence__isnull=False, issued_on__isnull=False),
                name="notice_issued_has_number_and_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Dự thảo thông báo kết luận"))

    def save(self, *args, **kwargs):
        for name in ("place", "summary"):
            setattr(self, name, nfc(getattr(self, name)))
        for name in ("issuing_body", "assessment", "key_tasks_intro", "closing", "recipients"):
            setattr(self, name, nfc_text(getattr(self, name)))
        self.issued_year = self.issued_on.year if self.issued_on else None
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        """“1029-TB/TU”, or empty before the notice is numbered."""
        if self.sequence is None:
            return ""
        return f"{self.sequence}-{self.doc_type}/{self.issuer_code}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.SUPERSEDED)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def issuer_lines(self) -> list[str]:
        return [line.strip() for line in self.issuing_body.splitlines() if line.strip()]

    def recipient_lines(self) -> list[str]:
        return [line.strip().lstrip("-").strip() for line in self.recipients.splitlines() if line.strip()]


class KeyTask(models.Model):
    """Nhiệm vụ trọng tâm: what the notice asks of the audience, in order."""

    notice = models.ForeignKey(ConclusionNotice, on_delete=models.CASCADE, related_name="key_tasks")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nhiệm vụ trọng tâm"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm vụ trọng tâm")
        verbose_name_plural = _("nhiệm vụ trọng tâm")
        ordering = ["notice", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"

    def save(self, *args, **kwargs):
        self.text = nfc_text(self.text)
        super().save(*args, **kwargs)


class ReportingCycle(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEARLY = "yearly", _("Hằng năm")


class Assignment(models.Model):
    """Giao … chủ trì, phối hợp: one piece of work the notice gives a lead agency."""

    class Output(models.TextChoices):
        REPORT = "report", _("Báo cáo")
        REGULATION = "regulation", _("Văn bản, quy định")
        ANSWERS = "answers", _("Trả lời kiến nghị")
        PUBLICITY = "publicity", _("Tuyên truyền, phổ biến")
        OTHER = "other", _("Khác")

    class Schedule(models.TextChoices):
        DEADLINE = "deadline", _("Có thời hạn hoàn thành")
        CYCLE = "cycle", _("Báo cáo định kỳ")

    notice = models.ForeignKey(ConclusionNotice, on_delete=models.CASCADE, related_name="assignments")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    key_task = models.ForeignKey(
        KeyTask,
        verbose_name=_("thuộc nhiệm vụ trọng tâm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="lead_assignments"
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinating_assignments"
    )
    text = models.TextField(_("nội dung nhiệm vụ"))
    submissions = models.ManyToManyField(
        Submission, verbose_name=_("câu hỏi, kiến nghị được giải quyết"), blank=True, related_name="assignments"
    )
    output = models.CharField(_("sản phẩm"), max_length=12, choices=Output.choices, default=Output.REPORT)
    output_detail = models.CharField(_("mô tả sản phẩm"), max_length=300, blank=True)
    schedule = models.CharField(_("thời hạn"), max_length=8, choices=Schedule.choices, default=Schedule.DEADLINE)
    # A deadline is a date, or a number of working days counted from the notice's issue date.
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"), null=True, blank=True)
    cycle = models.CharField(_("kỳ báo cáo"), max_length=12, choices=ReportingCycle.choices, blank=True)
    report_day = models.PositiveSmallIntegerField(
        _("ngày gửi báo cáo trong tháng cuối kỳ"), default=15, help_text=_("Ví dụ 15: báo cáo năm gửi trước 15/12.")
    )
    cycle_until = models.DateField(_("báo cáo đến hết ngày"), null=True, blank=True)
    # Kept by the workflow from the dues below, so lists sort and filter in SQL (`status.py`).
    next_due_on = models.DateField(_("hạn gần nhất chưa thực hiện"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True, editable=False)
    late_dues = models.PositiveSmallIntegerField(default=0, editable=False)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # Text, product and lead agency without diacritics, for the follow-up list's search.
    search_text = models.TextField(editable=False, blank=True)
    history = HistoricalRecords(m2m_fields=[coordinating_agencies], excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        ordering = ["notice", "order", "id"]
        indexes = [
            models.Index(fields=["notice", "next_due_on"], name="assignment_notice_due_idx"),
            models.Index(fields=["lead_agency", "next_due_on"], name="assignment_lead_due_idx"),
            # The reminder sweep: open assignments by their next date.
            models.Index(
                fields=["next_due_on"], condition=Q(next_due_on__isnull=False), name="assignment_open_due_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(report_day__gte=1, report_day__lte=28), name="assignment_report_day"),
        ]

    def __str__(self) -> str:
        return f"{self.lead_agency}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        self.text = nfc_text(self.text)
        self.output_detail = nfc(self.output_detail)
        self.search_text = assignment_search_text(self.text, self.output_detail, self.lead_agency.name)
        super().save(*args, **kwargs)


def assignment_search_text(text: str, output_detail: str, lead_agency: str) -> str:
    """What the follow-up search matches (also used by bulk loaders that bypass `save`)."""
    return search_key(f"{text} {output_detail} {lead_agency}")


class Due(models.Model):
    """One date an assignment owes something: its deadline, or one report of its cycle. An
    extension moves `due_on`; `original_due_on` keeps what the notice set."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="dues")
    label = models.CharField(_("kỳ"), max_length=60)
    period_start = models.DateField(_("từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("đến ngày"), null=True, blank=True)
    due_on = models.DateField(_("hạn"))
    original_due_on = models.DateField(_("hạn ban đầu"))
    done_on = models.DateField(_("ngày thực hiện"), null=True, blank=True)

    class Meta:
        verbose_name = _("hạn thực hiện")
        verbose_name_plural = _("hạn thực hiện")
        ordering = ["assignment", "original_due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "original_due_on"], name="due_unique_per_assignment_date")
        ]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="due_open_idx")]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_on:%d/%m/%Y})"

    @property
    def is_extended(self) -> bool:
        return self.due_on != self.original_due_on


class ProgressReport(models.Model):
    """Báo cáo tiến độ: what the lead agency reports, for one due (a cycle's period or the
    deadline). `completes` marks the work (or the period's report) as done."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    due = models.ForeignKey(
        Due, verbose_name=_("kỳ báo cáo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    text = models.TextField(_("nội dung báo cáo"))
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), null=True, blank=True)
    milestone = models.CharField(_("mốc đã đạt"), max_length=300, blank=True)
    completes = models.BooleanField(_("đã hoàn thành"), default=False)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("báo cáo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["assignment", "-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="progress_percent_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} – {timezone.localdate(self.reported_at):%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.text = nfc_text(self.text)
        self.milestone = nfc(self.milestone)
        super().save(*args, **kwargs)


class Evidence(StoredFile):
    """A file that proves a progress report (a decision, a report, minutes, photos)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to="conclusions/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")


class Extension(models.Model):
    """Đề nghị gia hạn: the agency asks to move one due; the organizers decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        APPROVED = "approved", _("Đồng ý gia hạn")
        REFUSED = "refused", _("Không đồng ý")

    due = models.ForeignKey(Due, on_delete=models.CASCADE, related_name="extensions")
    previous_due_on = models.DateField(_("hạn trước khi gia hạn"))
    requested_until = models.DateField(_("đề nghị gia hạn đến"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của Ban tổ chức"), blank=True)

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["due", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["due"], condition=Q(status="pending"), name="extension_one_pending_per_due")
        ]

    def __str__(self) -> str:
        return f"{self.due} → {self.requested_until:%d/%m/%Y}"


class SupervisionRemark(models.Model):
    """Ý kiến giám sát: the Fatherland Front's remark on how an assignment is carried out."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="remarks")
    text = models.TextField(_("ý kiến giám sát"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến giám sát")
        verbose_name_plural = _("ý kiến giám sát")
        ordering = ["assignment", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args, **kwargs):
        self.text = nfc_text(self.text)
        super().save(*args, **kwargs)
