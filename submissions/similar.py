"""Items that look like another one: the duplicates suggested while triaging.

On PostgreSQL the score is pg_trgm's `similarity()` between the accent-free texts
(`search_text`), computed for the program's items (the (program) index finds them) and kept
above a threshold. The `%` operator and the GIN trigram index do not help here: the items of a
program share most of their trigrams ("de nghi", "ho tro", "xa"), so the index cannot rule out
rows and each candidate would have its similarity computed twice. The GIN index serves the
LIKE search of the triage list. On SQLite (the embedded demo, a few hundred items) the score
is the share of words two texts have in common, computed in Python.

Cost on PostgreSQL: about 45 µs per item of the program (45 ms for 1,000 items; texts are
compared on their first COMPARED_CHARS characters, so a long content costs no more); the item
page loads the suggestions through htmx, after the page itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, FloatField, Func, OuterRef, QuerySet, Value
from django.db.models.fields import TextField
from django.db.models.functions import Left

from dialogue.text import search_key

from .models import Submission, SubmissionOrigin
from .queries import count_of

S = Submission.Status

# Items that can be neither suggested nor merged: not sent, gone, or already merged.
NOT_CANDIDATES = [S.DRAFT, S.MERGED, S.WITHDRAWN]
# Trigram similarity above which two texts are worth a look (pg_trgm's own default is 0.3).
TRIGRAM_THRESHOLD = 0.3
# Texts are compared on their first characters (reference, title, the opening of the content):
# duplicates share those, and a page-long content would otherwise cost ten times as much.
COMPARED_CHARS = 300
# Shared-word score (SQLite) above which two texts are worth a look.
WORD_THRESHOLD = 0.25
# Words too common in these texts to say two items are alike.
STOP_WORDS = frozenset(
    {
        *("va", "cua", "cho", "cac", "co", "la", "de", "nghi", "xem", "xet", "tinh", "huyen", "xa", "thi"),
        *("tran", "phuong", "ve", "tai", "trong", "voi", "duoc", "nhung", "mot", "nay", "khi", "da", "dang"),
        *("se", "can", "hien", "nhan", "dan", "ba", "con"),
    }
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Match:
    item: Submission
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


class _Similarity(Func):
    function = "similarity"
    output_field = FloatField()


def comparison_text(item: Submission) -> str:
    """What an item is compared on: its title and content, without the reference number that
    every item of a program shares the prefix of."""
    return search_key(f"{item.title} {item.content}")


def candidates(item: Submission, scope: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    """Items of the same program that could be duplicates of `item`, within `scope` (the user's
    items, `rules.submissions_for`; all items when None)."""
    scope = Submission.objects.all() if scope is None else scope
    return (
        scope.filter(program_id=item.program_id)
        .exclude(status__in=NOT_CANDIDATES)
        .exclude(pk=item.pk)
        .select_related("commune", "commune__parent", "field")
        .annotate(origin_count=count_of(SubmissionOrigin.objects.filter(submission=OuterRef("pk"))))
    )


def similar_items(item: Submission, *, limit: int = 10, scope: QuerySet[Submission] | None = None) -> list[Match]:
    """The `limit` items of the program most like `item`, best first, with their score (0–1),
    none under the threshold. One query on PostgreSQL, two on SQLite, whatever the program's size."""
    text = comparison_text(item)
    if not text:
        return []
    if connection.vendor == "postgresql":
        return _by_trigrams(candidates(item, scope), text, limit)
    return _by_shared_words(candidates(item, scope), text, limit)


def _by_trigrams(pool: QuerySet[Submission], text: str, limit: int) -> list[Match]:
    query = Value(text[:COMPARED_CHARS], output_field=TextField())
    compared = Left(F("search_text"), COMPARED_CHARS)
    best = pool.annotate(score=_Similarity(compared, query)).order_by("-score", "number")
    # The threshold is applied here rather than in SQL, where the score would be computed twice.
    return [Match(row, row.score) for row in best[:limit] if row.score >= TRIGRAM_THRESHOLD]


def words_of(text: str) -> set[str]:
    return {word for word in _WORD.findall(text) if word not in STOP_WORDS and len(word) > 1}


def word_overlap(first: set[str], second: set[str]) -> float:
    """Jaccard index of two word sets."""
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _by_shared_words(pool: QuerySet[Submission], text: str, limit: int) -> list[Match]:
    mine = words_of(text)
    scored = []
    for pk, other in pool.values_list("pk", "search_text"):
        score = word_overlap(mine, words_of(other))
        if score >= WORD_THRESHOLD:
            scored.append((score, pk))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    best = dict((pk, score) for score, pk in scored[:limit])
    items = pool.in_bulk(list(best))
    return sorted(
        (Match(items[pk], score) for pk, score in best.items() if pk in items),
        key=lambda match: (-match.score, match.item.number or 0),
    )
