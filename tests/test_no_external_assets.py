"""The app runs on closed networks: no template loads anything from outside it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//""", re.IGNORECASE)


def test_templates_and_styles_reference_only_local_assets():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("templates/**/*.css"), *ROOT.glob("static/**/*.css")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "xmlns" in line:
                continue
            if EXTERNAL.search(line) or IMPORT.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
