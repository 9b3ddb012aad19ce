"""The Vietnamese catalog is complete, compiled, and holds every string of the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_entry_is_translated_and_not_fuzzy():
    catalog = polib.pofile(str(PO))
    assert not catalog.untranslated_entries()
    assert not catalog.fuzzy_entries()


def test_compiled_catalog_matches_source():
    po = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(PO))}
    mo = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(MO))}
    assert po == mo, "run `make messages`: locale/vi/LC_MESSAGES/django.mo is out of date"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
def test_catalog_has_every_string_of_the_code(tmp_path):
    apps = [path.parent.name for path in ROOT.glob("*/apps.py")]
    for name in ("manage.py", "dialogue", "templates", *apps):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/vi/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    missing = fresh - committed
    assert not missing, f"run `make messages`; strings not in the catalog: {sorted(missing)[:10]}"
