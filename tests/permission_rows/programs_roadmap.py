"""Permission rows of the roadmap: the list, timeline and export, the task form, a task's page,
its status change, attachments and their download.

Everyone who reads a program's internals sees the whole roadmap; the agency officer (agency X's)
sees X's tasks, so `w.task_x` is a 200 for them and `w.task_y` a 404; commune leaders are
refused the roadmap (403). Another province's program is a 404, and a task reached through
another program's URL is a 404 even for the administrator.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from directory.models import Role

from . import expect

MANAGERS = {"organizer": 200, "admin": 200}
ROADMAP = expect(200, commune_leader=403)

MATRIX_FILE = "roadmap/ma-tran-quyen/bien-ban.pdf"
ROADMAP_PAGES = ["programs:roadmap", "programs:roadmap_timeline", "programs:roadmap_export", "programs:task_add"]
TASK_PAGES = ["programs:task_detail", "programs:task_edit", "programs:task_file"]


def attachment(task):
    """An attachment of `task`, its file written once to storage and reused by every row."""
    from programs.models import TaskAttachment

    if not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return TaskAttachment.objects.create(
        task=task, file=MATRIX_FILE, original_name="Biên bản.pdf", content_type="application/pdf", size=15
    )


def program(w):
    return {"pk": w.program.pk}


def task_x(w):
    return {"pk": w.program.pk, "task_pk": w.task_x.pk}


def file_x(w):
    return {"pk": w.program.pk, "task_pk": w.task_x.pk, "file_pk": attachment(w.task_x).pk}


def task_kwargs(name, w, task, program_pk=None):
    kwargs = {"pk": program_pk or w.program.pk, "task_pk": task.pk}
    if name == "programs:task_file":
        kwargs["file_pk"] = attachment(task).pk
    return kwargs


ROWS = {
    "programs:roadmap": (program, ROADMAP),
    "programs:roadmap_timeline": (program, ROADMAP),
    "programs:roadmap_export": (program, ROADMAP),
    "programs:task_add": (program, expect(403, **MANAGERS)),
    "programs:task_detail": (task_x, ROADMAP),
    "programs:task_edit": (task_x, expect(403, **MANAGERS)),
    "programs:task_status": (task_x, expect(405)),
    "programs:task_upload": (task_x, expect(405)),
    "programs:task_file": (file_x, ROADMAP),
}

OWN = [
    # Agency Y's task does not exist for agency X's officer, whatever the page.
    *[(name, lambda w, name=name: task_kwargs(name, w, w.task_y), Role.AGENCY_OFFICER, 404) for name in TASK_PAGES],
    # ...and agency Y's own officer sees it (its program is reachable through the task).
    ("programs:task_detail", lambda w: task_kwargs("", w, w.task_y), "agency_officer_y", 200),
    # Another province's program: not found for all but the administrator.
    *[
        (name, lambda w: {"pk": w.other_program.pk}, role, 200 if role == Role.ADMIN else 404)
        for name in ROADMAP_PAGES
        for role in Role.values
    ],
    # A task reached through another program's URL: not found, even for the administrator.
    *[
        (name, lambda w, name=name: task_kwargs(name, w, w.task_x, w.other_program.pk), role, 404)
        for name in TASK_PAGES
        for role in (Role.ADMIN, Role.ORGANIZER)
    ],
]
