"""Messages to people: in-app notifications, the e-mail outbox, each user's e-mail choices,
the texts administrators may edit, and the rows that make reminders happen once (a reminder
key per obligation, recipient and milestone) plus the record of each sweep and the worker's
heartbeat for the health page. This app sits right above `directory` and imports no app
above it: programs, submissions and conclusions register their obligations and kinds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Agency


class Notification(models.Model):
    """A message in the user's bell."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=60)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo trong hệ thống")
        verbose_name_plural = _("thông báo trong hệ thống")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class OutgoingEmail(models.Model):
    """One e-mail to one address, a row before it is sent (the outbox)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    to = models.EmailField(_("gửi đến"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("loại"), max_length=60)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("thư điện tử gửi đi")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status__in=["queued", "sending"]), name="outbox_pending_idx"
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class EmailPreference(models.Model):
    """A user's choice for one kind of message: by e-mail too, or in the app only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(_("loại"), max_length=60)
    by_email = models.BooleanField(_("nhận qua thư điện tử"), default=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thư")
        verbose_name_plural = _("lựa chọn nhận thư")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class MessageTemplate(models.Model):
    """The wording of one kind of message, as administrators changed it (Django template
    syntax). Without a row, the default text registered in code is used."""

    kind = models.CharField(_("loại"), max_length=60, unique=True)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu nội dung thông báo")
        verbose_name_plural = _("mẫu nội dung thông báo")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class SweepRun(models.Model):
    """One run of the reminder sweep or of a digest: when, what it found, what it sent."""

    class Kind(models.TextChoices):
        REMINDERS = "reminders", _("Nhắc hạn")
        AGENCY_DIGEST = "agency_digest", _("Tổng hợp tuần gửi cơ quan")
        LATE_DIGEST = "late_digest", _("Tổng hợp việc quá hạn")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.REMINDERS)
    trigger = models.CharField(_("khởi động bởi"), max_length=60, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), default=timezone.now)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    obligations = models.PositiveIntegerField(_("số việc xem xét"), default=0)
    reminders = models.PositiveIntegerField(_("số nhắc mới"), default=0)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lượt quét nhắc hạn")
        verbose_name_plural = _("lượt quét nhắc hạn")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d/%m/%Y %H:%M}"


class Reminder(models.Model):
    """That a message was sent for (obligation, recipient, milestone). The unique key is what
    makes a second sweep, a duplicate beat tick or a restarted worker send nothing twice."""

    key = models.CharField(max_length=250, unique=True)
    obligation = models.CharField(_("việc"), max_length=120)
    recipient = models.CharField(_("người nhận"), max_length=120)
    milestone = models.CharField(_("mốc"), max_length=40)
    sweep = models.ForeignKey(SweepRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lần nhắc")
        verbose_name_plural = _("lần nhắc")
        indexes = [models.Index(fields=["sweep"], name="reminder_sweep_idx")]

    def __str__(self) -> str:
        return self.key


class Heartbeat(models.Model):
    """The last time a process showed it is alive (the worker runs a task every minute)."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("tín hiệu hoạt động")
        verbose_name_plural = _("tín hiệu hoạt động")

    def __str__(self) -> str:
        return self.name
