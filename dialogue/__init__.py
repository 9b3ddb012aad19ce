"""Đối thoại project package: settings, URLs, Celery app and the shared toolkit.

The toolkit modules here (pdf, text, dates, excel, workdays) may be imported by every
app and import none of them.
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
