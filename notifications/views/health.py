"""Operations at a glance, for administrators and organizers: the database, the broker, the
worker's heartbeat, the last reminder sweep and digest, the outbox backlog and the periodic
tasks, as a page and as JSON for monitoring; and a button that starts the reminder sweep now
(through the broker, or in the request itself when the broker is down).

Each check is cheap and bounded: the broker gets one connection attempt with a 2-second
timeout, so the page answers within seconds even when Redis is gone."""

from __future__ import annotations

import datetime
import logging
import os
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dialogue.celery import send_quickly
from directory import audit
from directory.permissions import require

from .. import outbox, sweep
from ..models import Heartbeat, OutgoingEmail, SweepRun

log = logging.getLogger("notifications.health")

OK, WARNING, ERROR = "ok", "warning", "error"
HEARTBEAT_MAX_AGE = datetime.timedelta(minutes=3)
# The sweep runs daily: a last run older than this means a day was missed.
SWEEP_MAX_AGE = datetime.timedelta(hours=26)
DIGEST_MAX_AGE = datetime.timedelta(days=8)
BROKER_TIMEOUT = 2


@dataclass
class Check:
    key: str
    label: str
    state: str
    summary: str
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.state == OK


def _local(moment: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else ""


def _age(moment: datetime.datetime) -> str:
    seconds = max(0, int((timezone.now() - moment).total_seconds()))
    if seconds < 120:
        return _("%(n)d giây trước") % {"n": seconds}
    if seconds < 7200:
        return _("%(n)d phút trước") % {"n": seconds // 60}
    if seconds < 2 * 86400:
        return _("%(n)d giờ trước") % {"n": seconds // 3600}
    return _("%(n)d ngày trước") % {"n": seconds // 86400}


def check_database() -> Check:
    label = _("Cơ sở dữ liệu")
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", label, ERROR, _("Không truy vấn được: %(error)s") % {"error": exc})
    ms = round((time.perf_counter() - start) * 1000, 1)
    state = OK if ms < 500 else WARNING
    return Check("database", label, state, _("SELECT 1 trả lời sau %(ms)s ms") % {"ms": ms}, {"latency_ms": ms})


def check_broker() -> Check:
    """One connection attempt to `CELERY_BROKER_URL`; the filesystem broker is a folder."""
    label = _("Hàng đợi tác vụ (broker)")
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
        folder = options.get("data_folder_in", "")
        details = {"transport": "filesystem", "folder": folder}
        if folder and os.path.isdir(folder) and os.access(folder, os.W_OK):
            return Check("broker", label, OK, _("Thư mục hàng đợi %(folder)s ghi được") % {"folder": folder}, details)
        return Check(
            "broker", label, ERROR, _("Thư mục hàng đợi %(folder)s không có hoặc không ghi được") % {"folder": folder}
        )
    from kombu import Connection

    start = time.perf_counter()
    conn = Connection(url, connect_timeout=BROKER_TIMEOUT)
    where = conn.as_uri(include_password=not conn.password)  # never the password
    try:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0, timeout=BROKER_TIMEOUT)
    except Exception as exc:  # kombu raises its own, redis' or socket errors depending on the transport
        log.warning("broker %s unreachable: %s", where, exc)
        return Check(
            "broker",
            label,
            ERROR,
            _("Không kết nối được %(where)s: %(error)s") % {"where": where, "error": exc},
            {"url": where},
        )
    finally:
        try:
            conn.release()
        except Exception:  # releasing a connection that never opened must not hide the answer
            log.debug("releasing the broker connection failed", exc_info=True)
    ms = round((time.perf_counter() - start) * 1000, 1)
    return Check(
        "broker", label, OK, _("Kết nối được %(where)s sau %(ms)s ms") % {"where": where, "ms": ms},
        {"url": where, "latency_ms": ms},
    )  # fmt: skip


def check_worker() -> Check:
    label = _("Worker (tín hiệu hoạt động)")
    beat = Heartbeat.objects.filter(name="worker").first()
    if beat is None:
        return Check("worker", label, ERROR, _("Chưa nhận được tín hiệu nào từ worker"), {"at": None})
    details = {"at": beat.at.isoformat(), "age_seconds": int((timezone.now() - beat.at).total_seconds())}
    text = _("Tín hiệu gần nhất lúc %(at)s (%(age)s)") % {"at": _local(beat.at), "age": _age(beat.at)}
    state = OK if timezone.now() - beat.at < HEARTBEAT_MAX_AGE else ERROR
    return Check("worker", label, state, text, details)


def _run_check(key: str, label: str, run: SweepRun | None, max_age: datetime.timedelta) -> Check:
    if run is None:
        return Check(key, label, WARNING, _("Chưa chạy lần nào"), {"at": None})
    details = {
        "at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "trigger": run.trigger,
        "obligations": run.obligations,
        "reminders": run.reminders,
        "error": run.error,
    }
    text = _("Lúc %(at)s (%(trigger)s): xem xét %(obligations)d việc, gửi %(reminders)d nhắc mới") % {
        "at": _local(run.started_at),
        "trigger": run.trigger or "—",
        "obligations": run.obligations,
        "reminders": run.reminders,
    }
    if run.error:
        return Check(key, label, ERROR, text + " — " + _("lỗi: %(error)s") % {"error": run.error}, details)
    if run.finished_at is None:
        return Check(key, label, WARNING, text + " — " + _("chưa kết thúc"), details)
    state = OK if timezone.now() - run.started_at < max_age else WARNING
    return Check(key, label, state, text, details)


def check_sweeps() -> list[Check]:
    last_sweep = SweepRun.objects.filter(kind=SweepRun.Kind.REMINDERS).order_by("-started_at", "-id").first()
    last_digest = (
        SweepRun.objects.exclude(kind=SweepRun.Kind.REMINDERS).order_by("-started_at", "-id").first()
    )  # fmt: skip
    return [
        _run_check("sweep", _("Lần quét nhắc hạn gần nhất"), last_sweep, SWEEP_MAX_AGE),
        _run_check("digest", _("Lần gửi tổng hợp tuần gần nhất"), last_digest, DIGEST_MAX_AGE),
    ]


def check_outbox() -> Check:
    counts = outbox.backlog()
    E = OutgoingEmail.Status
    text = _("Chờ gửi: %(queued)d · Đang gửi: %(sending)d · Gửi không được: %(failed)d · Đã gửi: %(sent)d") % counts
    state = WARNING if counts[E.FAILED] else OK
    return Check("outbox", _("Hộp thư đi"), state, text, counts)


def _schedule_text(task) -> str:
    if task.interval_id:
        every, period = task.interval.every, task.interval.period
        units = {"days": _("ngày"), "hours": _("giờ"), "minutes": _("phút"), "seconds": _("giây")}
        return _("Mỗi %(n)s %(unit)s") % {"n": every, "unit": units.get(period, period)}
    if task.crontab_id:
        cron = task.crontab
        clock = f"{int(cron.hour):02d}:{int(cron.minute):02d}" if (cron.hour + cron.minute).isdigit() else ""
        if clock and cron.day_of_month == "*" and cron.month_of_year == "*":
            if cron.day_of_week == "*":
                return _("Hằng ngày lúc %(clock)s") % {"clock": clock}
            days = {str(n): name for n, name in enumerate(WEEKDAYS)}
            if cron.day_of_week in days:
                return _("%(day)s hằng tuần lúc %(clock)s") % {"day": days[cron.day_of_week], "clock": clock}
        return str(cron)
    if task.clocked_id:
        return _("Một lần lúc %(at)s") % {"at": _local(task.clocked.clocked_time)}
    if task.solar_id:
        return str(task.solar)
    return "—"


WEEKDAYS = [
    gettext_lazy("Chủ nhật"),
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
]


def periodic_tasks(user) -> list[dict]:
    from django_celery_beat.models import PeriodicTask

    rows = PeriodicTask.objects.select_related("interval", "crontab", "clocked", "solar").order_by("name")
    result = []
    for task in rows:
        edit = ""
        if user.is_staff:
            try:
                edit = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
            except NoReverseMatch:  # django-celery-beat's admin not registered
                edit = ""
        result.append(
            {
                "name": task.name,
                "task": task.task,
                "schedule": _schedule_text(task),
                "enabled": task.enabled,
                "last_run_at": task.last_run_at,
                "last_run": _local(task.last_run_at),
                "total_run_count": task.total_run_count,
                "edit_url": edit,
            }
        )
    return result


def collect(user) -> dict:
    checks = [check_database(), check_broker(), check_worker(), *check_sweeps(), check_outbox()]
    return {
        "checks": checks,
        "by_key": {check.key: check for check in checks},
        "healthy": not any(check.state == ERROR for check in checks),
        "tasks": periodic_tasks(user),
        "checked_at": timezone.now(),
    }


@login_required
def health(request):
    require(request.user, "notifications.view_health")
    context = collect(request.user)
    broker = context["by_key"]["broker"]
    context.update(
        {
            "title": _("Tình trạng hoạt động"),
            "offer_inline": not broker.ok or bool(request.GET.get("fallback")),
            "heartbeat_minutes": int(HEARTBEAT_MAX_AGE.total_seconds() // 60),
            "can_run_sweep": True,
        }
    )
    return render(request, "notifications/health.html", context)


@login_required
def health_json(request):
    require(request.user, "notifications.view_health")
    found = collect(request.user)
    payload = {
        "healthy": found["healthy"],
        "checked_at": found["checked_at"].isoformat(),
        "checks": {c.key: {"state": c.state, "summary": str(c.summary), **c.details} for c in found["checks"]},
        "periodic_tasks": [
            {
                "name": t["name"],
                "task": t["task"],
                "schedule": str(t["schedule"]),
                "enabled": t["enabled"],
                "last_run_at": t["last_run_at"].isoformat() if t["last_run_at"] else None,
                "total_run_count": t["total_run_count"],
            }
            for t in found["tasks"]
        ],
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def run_sweep(request):
    """Start the reminder sweep now; with `inline`, run it in this request (the broker is down)."""
    require(request.user, "notifications.run_sweep")
    trigger = f"manual:{request.user.username}"[:60]
    if request.POST.get("inline"):
        try:
            run = sweep.run(trigger=trigger)
        except Exception as exc:
            log.exception("manual reminder sweep failed")
            messages.error(request, _("Quét nhắc hạn không thành công: %(error)s") % {"error": exc})
            return redirect("notifications:health")
        audit.record(request.user, "notifications.run_sweep", run, inline=True)
        messages.success(
            request,
            _("Đã quét nhắc hạn ngay trong yêu cầu này: xem xét %(obligations)d việc, gửi %(reminders)d nhắc mới.")
            % {"obligations": run.obligations, "reminders": run.reminders},
        )
        return redirect("notifications:health")
    from ..tasks import run_reminders

    try:
        send_quickly(run_reminders, kwargs={"trigger": trigger})
    except Exception as exc:  # the broker is down or refuses: say so and offer the fallback
        log.warning("could not start the reminder sweep through the broker: %s", exc)
        messages.error(
            request,
            _(
                "Không gửi được yêu cầu quét nhắc hạn vào hàng đợi tác vụ (broker không phản hồi: %(error)s)."
                " Bạn có thể chạy quét ngay trong yêu cầu này bằng nút “Chạy trực tiếp” bên dưới;"
                " việc nhắc không bị gửi trùng."
            )
            % {"error": exc},
        )
        return redirect(reverse("notifications:health") + "?fallback=1#chay-quet")
    audit.record(request.user, "notifications.run_sweep", None, inline=False)
    messages.success(
        request,
        _("Đã gửi yêu cầu quét nhắc hạn vào hàng đợi. Kết quả hiện ở mục “Lần quét nhắc hạn gần nhất” sau ít phút."),
    )
    return redirect("notifications:health")
