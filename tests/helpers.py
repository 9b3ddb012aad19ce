"""Assertions shared by the suite."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries)


def assert_constant_queries(client, url: str, add_rows: Callable[[int], object], few: int = 1, many: int = 50) -> int:
    """A list page keeps the same number of queries with `few` and with `many` rows.

    `add_rows(n)` creates n more rows that the page at `url` lists. Returns the count.
    """
    add_rows(few)
    client.get(url)  # warm process-wide caches (content types, sessions) before counting
    with_few = count_queries(client, url)
    add_rows(many - few)
    with_many = count_queries(client, url)
    assert with_few == with_many, f"{url}: {with_few} queries with {few} rows, {with_many} with {many}"
    return with_many
