"""Who is who: administrative units, agencies, users with their role, the official calendar
and the action log. Every other app points here; this app points at none of them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogue.text import nfc, search_key

# The day the two-level local government took effect (Resolution 202/2025/QH15 and the
# National Assembly Standing Committee's resolutions on commune mergers).
REORGANIZATION_2025 = datetime.date(2025, 7, 1)


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> AdminUnitQuerySet:
        """Units as they were on `day`: a program keeps the units of the day it ran."""
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day))

    def current(self) -> AdminUnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def communes(self) -> AdminUnitQuerySet:
        return self.filter(level=AdminUnit.Level.COMMUNE)

    def provinces(self) -> AdminUnitQuerySet:
        return self.filter(level=AdminUnit.Level.PROVINCE)


class AdminUnit(models.Model):
    """A province, district or commune, with the period in which it existed."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        DISTRICT = "district", _("Cấp huyện")
        COMMUNE = "commune", _("Cấp xã")

    class Kind(models.TextChoices):
        TINH = "tinh", _("Tỉnh")
        THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
        HUYEN = "huyen", _("Huyện")
        QUAN = "quan", _("Quận")
        THI_XA = "thi_xa", _("Thị xã")
        THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        THI_TRAN = "thi_tran", _("Thị trấn")
        DAC_KHU = "dac_khu", _("Đặc khu")

    # The word written before the name: "Thành phố Vinh", not "Thành phố thuộc tỉnh Vinh".
    KIND_PREFIX = {
        Kind.TINH: "Tỉnh",
        Kind.THANH_PHO_TW: "Thành phố",
        Kind.HUYEN: "Huyện",
        Kind.QUAN: "Quận",
        Kind.THI_XA: "Thị xã",
        Kind.THANH_PHO: "Thành phố",
        Kind.XA: "Xã",
        Kind.PHUONG: "Phường",
        Kind.THI_TRAN: "Thị trấn",
        Kind.DAC_KHU: "Đặc khu",
    }

    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=15, choices=Kind.choices)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=10, help_text=_("Mã số thống kê chính thức."))
    name = models.CharField(_("tên"), max_length=100, help_text=_("Tên không kèm loại, ví dụ “Nghi Phú”."))
    parent = models.ForeignKey(
        "self", verbose_name=_("trực thuộc"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("có hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    search_key = models.CharField(max_length=130, editable=False, db_index=True)
    history = HistoricalRecords()

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="adminunit_unique_code_period"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="adminunit_period_positive",
            ),
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | (~Q(level="province") & Q(parent__isnull=False)),
                name="adminunit_parent_by_level",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_to"]), models.Index(fields=["parent", "valid_to"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_key = search_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return self.label(self.kind, self.name)

    @classmethod
    def label(cls, kind: str | None, name: str | None) -> str:
        """ "Xã Nghi Phú" from a kind and a name: for lists that read units as plain values."""
        return f"{cls.KIND_PREFIX.get(kind, '')} {name or ''}".strip()

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def current_unit(self) -> AdminUnit:
        """The unit that carries this one today: itself if still valid, else its successor's
        current unit (a 2023 province or commune -> the one that absorbed it in 2025)."""
        unit, seen = self, set()
        while unit.valid_to is not None and unit.successor_id is not None and unit.pk not in seen:
            seen.add(unit.pk)
            unit = unit.successor
        return unit

    @property
    def province(self) -> AdminUnit:
        unit = self
        while unit.parent_id is not None:
            unit = unit.parent
        return unit


class Agency(models.Model):
    """A body that is assigned work: Party boards, departments, mass organizations, press."""

    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Cấp ủy")
        PARTY_BOARD = "party_board", _("Ban đảng")
        PARTY_GROUP = "party_group", _("Ban cán sự, đảng đoàn")
        GOVERNMENT = "government", _("Chính quyền (HĐND, UBND)")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        MASS_ORGANIZATION = "mass_organization", _("Mặt trận và đoàn thể")
        PRESS = "press", _("Cơ quan báo chí")
        OTHER = "other", _("Khác")

    code = models.SlugField(
        _("mã"), max_length=60, unique=True, help_text=_("Mã ổn định dùng khi nhập dữ liệu, ví dụ “na-ban-dan-van”.")
    )
    name = models.CharField(_("tên cơ quan"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        AdminUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="agencies",
        limit_choices_to={"level": AdminUnit.Level.PROVINCE},
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    search_key = models.CharField(max_length=260, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.search_key = search_key(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("Ban tổ chức")
    STANDING_COMMITTEE = "standing_committee", _("Thường trực cấp ủy")
    COMMUNE_LEADER = "commune_leader", _("Lãnh đạo xã, phường, thị trấn")
    AGENCY_OFFICER = "agency_officer", _("Cán bộ cơ quan được giao")
    SUPERVISOR = "supervisor", _("Giám sát (Mặt trận Tổ quốc)")
    ADMIN = "admin", _("Quản trị hệ thống")


class DirectoryUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Their role and organization decide what they see (permissions.py)."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã, phường, thị trấn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        limit_choices_to={"level": AdminUnit.Level.COMMUNE},
    )
    search_key = models.CharField(max_length=400, editable=False, blank=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "search_key"])

    objects = DirectoryUserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["full_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="commune_leader") | Q(commune__isnull=False),
                name="user_commune_leader_has_commune",
            ),
            models.CheckConstraint(
                condition=~Q(role="agency_officer") | Q(agency__isnull=False),
                name="user_agency_officer_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        self.full_name = nfc(self.full_name)
        self.position = nfc(self.position)
        self.search_key = search_key(f"{self.full_name} {self.username} {self.position}")
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def organization(self) -> Agency | AdminUnit | None:
        return self.commune if self.role == Role.COMMUNE_LEADER else self.agency


class CalendarDay(models.Model):
    """An exception to the ordinary week that the Government announces each year: an extra
    day off (e.g. a bridge day around Tết) or a Saturday worked to make up for it."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=15, choices=Kind.choices)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"


class ActionLog(models.Model):
    """Events that are not a field change: a login lockout, a send, an approval, a check-in.
    Field changes are kept by each model's history; this records the act itself."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    verb = models.CharField(_("hành động"), max_length=60, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    # Labels of the verbs; apps add theirs with `directory.audit.register_verb`.
    VERB_LABELS: dict[str, str] = {
        "login": _("Đăng nhập"),
        "login_failed": _("Đăng nhập không thành công"),
        "locked_out": _("Tài khoản bị tạm khóa do đăng nhập sai nhiều lần"),
    }

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor} {self.verb} {self.target_repr}"

    def get_verb_display(self) -> str:
        return str(self.VERB_LABELS.get(self.verb, self.verb))


class BackgroundJob(models.Model):
    """Slow work done by a Celery worker for one user (a large report, an export): the row the
    user's progress bar reads, and where the file it produced waits for them. What each kind
    of job does is registered by the app that owns it (`directory.jobs.register`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang thực hiện")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không thành công")

    kind = models.CharField(_("loại công việc"), max_length=60)
    title = models.CharField(_("tên công việc"), max_length=300, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số"), default=0)
    stage = models.CharField(_("đang làm"), max_length=200, blank=True)
    # Under MEDIA_ROOT, which is never routed: the file goes out only through `job_download`.
    result = models.FileField(_("tệp kết quả"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "kind", "-created_at"], name="job_user_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="job_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


class StoredFile(models.Model):
    """What every uploaded file keeps beside itself (attachments, evidence): its name as the user
    gave it, the type found in its content, its size, who uploaded it and when. Subclasses add
    the `file` field with their own folder; `dialogue.uploads.store_upload` fills these."""

    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
