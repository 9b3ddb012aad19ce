"""The periodic tasks, created once after `migrate` and then edited in the admin
(django-celery-beat's database scheduler): the daily reminder sweep at
`REMINDER_SWEEP_TIME`, the weekly digests on Monday morning, the outbox sweep and the
worker's heartbeat every minute; higher apps add theirs with `register` (the dashboards' monthly
briefing on the first day of each month). Existing rows are never overwritten."""

from __future__ import annotations

from django.conf import settings

TASKS = [
    # name, task, schedule kind, schedule
    ("Quét nhắc hạn hằng ngày", "notifications.run_reminders", "crontab", "sweep"),
    ("Tổng hợp tuần", "notifications.send_digests", "crontab", "digest"),
    ("Gửi thư còn chờ trong hộp thư đi", "notifications.dispatch_outbox", "interval", 60),
    ("Tín hiệu hoạt động của worker", "notifications.heartbeat", "interval", 60),
    # The directory's background jobs whose hand-over to the broker failed (it was down).
    ("Gửi lại công việc nền còn chờ", "directory.resend_waiting_jobs", "interval", 300),
]


def register(name: str, task: str, kind: str, schedule) -> None:
    """Add a periodic task from a higher app's `AppConfig.ready()` (kind "crontab" with one of
    the schedules below, or "interval" with seconds); registering twice changes nothing."""
    if not any(row[0] == name for row in TASKS):
        TASKS.append((name, task, kind, schedule))


def ensure_periodic_tasks(sender=None, **kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    hour, minute = _clock(getattr(settings, "REMINDER_SWEEP_TIME", "06:30"))
    digest_hour, digest_minute = _clock(getattr(settings, "DIGEST_TIME", "07:00"))
    crontabs = {
        "sweep": {"minute": minute, "hour": hour, "day_of_week": "*", "day_of_month": "*"},
        "digest": {"minute": digest_minute, "hour": digest_hour, "day_of_week": "1", "day_of_month": "*"},
        # The first day of each month, at the digests' time.
        "monthly": {"minute": digest_minute, "hour": digest_hour, "day_of_week": "*", "day_of_month": "1"},
    }
    for name, task, kind, which in TASKS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if kind == "crontab":
            schedule, _ = CrontabSchedule.objects.get_or_create(
                **crontabs[which], month_of_year="*", timezone=settings.TIME_ZONE
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=schedule)
        else:
            schedule, _ = IntervalSchedule.objects.get_or_create(every=which, period=IntervalSchedule.SECONDS)
            PeriodicTask.objects.create(name=name, task=task, interval=schedule)


def _clock(value: str) -> tuple[str, str]:
    """ "06:30" -> ("6", "30"), as crontab fields."""
    hour, _sep, minute = value.partition(":")
    return str(int(hour)), str(int(minute or 0))
