"""Ids printed into markup must not be localized: with Vietnamese number formats an id of 1052
prints as "1.052", which breaks links, form values and htmx targets once a table passes a
thousand rows (small test databases never show it). `{% url %}` is safe; `{{ x.pk }}` is not."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
RAW_ID = re.compile(r"\{\{ *([a-z_.]+\.(pk|id)|[a-z_]+_(pk|id)) *\}\}")


def test_ids_in_templates_are_unlocalized():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for match in RAW_ID.finditer(line)
    ]
    assert not offenders, "write {{ x.pk|unlocalize }} ({% load l10n %}):\n" + "\n".join(offenders)
