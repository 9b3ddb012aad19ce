"""Word-level differences between two plan versions, section by section, for the diff page.

Texts are split into words, punctuation and the whitespace between them, so a changed word is
marked alone and line breaks survive (the page shows the text with `white-space: pre-wrap`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .models import PLAN_SECTIONS, PlanVersion

# A word (dates and numbers such as "04/8/2023" or "1.121" are one word), a run of whitespace
# or one punctuation mark. Joining the tokens gives back the text exactly, and "2023," ->
# "2023 và 2024," marks only the words added, not the comma.
_TOKEN = re.compile(r"\s+|\w+(?:[./-]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    label: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op != "equal" for s in self.segments)

    @property
    def inserted_words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments if s.op == "insert")

    @property
    def deleted_words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments if s.op == "delete")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def diff_text(old: str, new: str) -> list[Segment]:
    """Segments that turn `old` into `new`: equal text, deletions, insertions (a replacement
    is a deletion followed by an insertion)."""
    a, b = _tokens(old), _tokens(new)
    # autojunk would treat frequent tokens (spaces, "và") as junk in long texts and mark
    # whole paragraphs as changed.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    chunks = [(tag, "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    # A lone space kept between two changed words would cut one replaced phrase into
    # "del ins del ins"; count it as changed so the phrase reads as one deletion, one insertion.
    for i in range(1, len(chunks) - 1):
        tag, text, _same = chunks[i]
        if tag == "equal" and not text.strip() and chunks[i - 1][0] != "equal" and chunks[i + 1][0] != "equal":
            chunks[i] = ("replace", text, text)
    segments: list[Segment] = []
    deleted, inserted = "", ""
    for tag, old_text, new_text in [*chunks, ("equal", "", "")]:
        if tag != "equal":
            deleted += old_text
            inserted += new_text
            continue
        if deleted:
            segments.append(Segment("delete", deleted))
        if inserted:
            segments.append(Segment("insert", inserted))
        deleted, inserted = "", ""
        if old_text:
            segments.append(Segment("equal", old_text))
    return segments


def diff_versions(old: PlanVersion, new: PlanVersion) -> list[SectionDiff]:
    """One SectionDiff per plan section, in the official order."""
    return [
        SectionDiff(key, str(label), diff_text(old.sections.get(key, ""), new.sections.get(key, "")))
        for key, label in PLAN_SECTIONS
    ]
