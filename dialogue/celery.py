"""The Celery application. Broker and schedule come from settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue.settings")

app = Celery("dialogue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="dialogue.ping")
def ping() -> str:
    """Round trip used by the health check and the integration tests."""
    return "pong"


def send_quickly(task, *, args=(), kwargs=None, **options) -> None:
    """Send `task` with one attempt to reach the broker and no result subscription, so a
    broker that is down fails at once (a request must not wait seconds for it: kombu would
    otherwise retry the connection, and a Redis result store retries 20 times). A connection of
    its own, not the pool's: these sends are few (after a commit) and a pooled connection to a
    broker that went away would be handed out again. Raises the broker's error; callers decide
    what waits for a later sweep."""
    with task.app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0, timeout=2)
        task.apply_async(args, kwargs, retry=False, ignore_result=True, connection=connection, **options)
