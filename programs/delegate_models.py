"""Delegates (đại biểu) of a program: the expected seats (each commune × each post, for the
units as they were when the program ran), the people who fill them (one person may hold two
posts; a deputy may substitute), guests and organizers, their forum and seat, a random badge
token, confirmation by the commune, check-in at the door, and the two-step Excel import.
Imported into `programs.models`; changes go through `programs.delegates` (the workflow)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.text import nfc, search_key
from directory.models import AdminUnit


class DelegatePost(models.TextChoices):
    """The posts a commune program expects from every commune, ward and town."""

    PARTY_SECRETARY = "party_secretary", _("Bí thư Đảng ủy")
    COUNCIL_CHAIR = "council_chair", _("Chủ tịch HĐND")
    COMMITTEE_CHAIR = "committee_chair", _("Chủ tịch UBND")


def new_token() -> str:
    """What the badge's QR code holds: random, never a database id."""
    return secrets.token_urlsafe(16)


class Delegate(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Đại biểu cấp xã")
        GUEST = "guest", _("Khách mời")
        ORGANIZER = "organizer", _("Ban tổ chức, phục vụ")

    class Status(models.TextChoices):
        EXPECTED = "expected", _("Chưa xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận dự")
        EXCUSED = "excused", _("Báo vắng")

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="delegates")
    kind = models.CharField(_("loại đại biểu"), max_length=10, choices=Kind.choices, default=Kind.COMMUNE)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("chức vụ"), max_length=300, blank=True, help_text=_("In trên thẻ đại biểu."))
    organization = models.CharField(_("cơ quan, đơn vị"), max_length=300, blank=True)
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã, phường, thị trấn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegates",
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    substitute_for = models.CharField(_("dự thay cho"), max_length=150, blank=True)
    substitute_reason = models.CharField(_("lý do dự thay"), max_length=300, blank=True)
    forum = models.ForeignKey(
        "programs.Forum",
        verbose_name=_("diễn đàn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegates",
    )
    seat_row = models.CharField(_("hàng ghế"), max_length=10, blank=True)
    seat_number = models.CharField(_("số ghế"), max_length=10, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    status = models.CharField(_("xác nhận"), max_length=10, choices=Status.choices, default=Status.EXPECTED)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Name, commune and district without diacritics, for the door staff's search.
    search_text = models.CharField(max_length=600, editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("đại biểu")
        verbose_name_plural = _("đại biểu")
        ordering = ["program", "commune__parent__name", "commune__name", "full_name", "id"]
        indexes = [
            models.Index(fields=["program", "commune"], name="delegate_commune_idx"),
            models.Index(fields=["program", "forum"], name="delegate_forum_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="commune") | Q(commune__isnull=False), name="delegate_commune_has_commune"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    def normalize(self) -> None:
        """NFC names and the accent-free search text; bulk writers that skip `save` call it."""
        for name in ("full_name", "title", "organization", "substitute_for", "substitute_reason"):
            setattr(self, name, nfc(getattr(self, name)))
        self.full_name = " ".join(self.full_name.split())
        places = [self.commune.name, self.commune.parent.name if self.commune.parent_id else ""] if self.commune else []
        self.search_text = search_key(" ".join([self.full_name, self.organization, *places]))[:600]


class Seat(models.Model):
    """An expected seat: one post of one commune. Filled by a delegate (who may fill two)."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="seats")
    commune = models.ForeignKey(AdminUnit, verbose_name=_("xã, phường, thị trấn"), on_delete=models.PROTECT)
    post = models.CharField(_("chức danh"), max_length=20, choices=DelegatePost.choices)
    delegate = models.ForeignKey(
        Delegate, verbose_name=_("đại biểu"), null=True, blank=True, on_delete=models.SET_NULL, related_name="seats"
    )

    class Meta:
        verbose_name = _("suất đại biểu")
        verbose_name_plural = _("suất đại biểu")
        ordering = ["program", "commune__parent__name", "commune__name", "post"]
        constraints = [models.UniqueConstraint(fields=["program", "commune", "post"], name="seat_unique_post")]
        indexes = [models.Index(fields=["program", "delegate"], name="seat_delegate_idx")]

    def __str__(self) -> str:
        return f"{self.get_post_display()} {self.commune}"


class CheckIn(models.Model):
    """Điểm danh: a delegate checked in at the door. At most one that is not undone, so two
    door staff scanning the same badge at once record one check-in (the database decides)."""

    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="checkins")
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undo_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegate"], condition=Q(undone_at__isnull=True), name="checkin_one_active_per_delegate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegate} {timezone.localtime(self.at):%H:%M}"


class DelegateImport(models.Model):
    """An uploaded delegate list between preview and confirmation: the file is kept, the
    preview (each row new / update / unchanged / error) is stored, and applying it is one
    transaction."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Đang đọc tệp")
        PREVIEWED = "previewed", _("Chờ xác nhận")
        APPLIED = "applied", _("Đã nhập")
        REJECTED = "rejected", _("Có lỗi, chưa nhập")
        DISCARDED = "discarded", _("Đã hủy")

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="delegate_imports")
    file = models.FileField(_("tệp"), upload_to="delegate-imports/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PREVIEWING)
    preview = models.JSONField(_("kết quả đọc tệp"), default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập danh sách đại biểu")
        verbose_name_plural = _("lượt nhập danh sách đại biểu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
