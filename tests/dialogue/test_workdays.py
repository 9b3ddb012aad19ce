"""dialogue.workdays: the Vietnamese working week, public holidays and announced exceptions."""

from __future__ import annotations

import datetime
import time

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogue.workdays import WorkCalendar

D = datetime.date


def days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(n) for n in range((end - start).days + 1)]


def test_library_lists_tet_2024_and_2025_as_expected():
    # What the `holidays` package says; the rest of these tests rely on it.
    vn_2024 = holidays.country_holidays("VN", years=2024)
    assert set(days(D(2024, 2, 8), D(2024, 2, 14))) <= set(vn_2024)  # 29 Tết to mùng 5
    assert D(2024, 2, 10) in vn_2024  # Tết Nguyên Đán (a Saturday)
    assert {D(2024, 4, 18), D(2024, 4, 29), D(2024, 4, 30), D(2024, 5, 1), D(2024, 9, 2), D(2024, 9, 3)} <= set(vn_2024)
    vn_2025 = holidays.country_holidays("VN", years=2025)
    assert set(days(D(2025, 1, 27), D(2025, 2, 1))) <= set(vn_2025)
    assert {D(2025, 4, 7), D(2025, 4, 30), D(2025, 5, 1), D(2025, 5, 2), D(2025, 9, 1), D(2025, 9, 2)} <= set(vn_2025)


def test_tet_2024_is_not_worked():
    calendar = WorkCalendar()
    assert not calendar.is_working_day(D(2024, 2, 10))
    for day in days(D(2024, 2, 8), D(2024, 2, 14)):
        assert not calendar.is_working_day(day), day
    assert calendar.is_working_day(D(2024, 2, 7))  # Wednesday before
    assert calendar.is_working_day(D(2024, 2, 15))  # Thursday after
    assert calendar.next_working_day(D(2024, 2, 7)) == D(2024, 2, 15)


def test_tet_2025_and_other_public_holidays():
    calendar = WorkCalendar()
    for day in days(D(2025, 1, 27), D(2025, 1, 31)):
        assert not calendar.is_working_day(day), day
    for day in [D(2025, 1, 1), D(2025, 4, 7), D(2025, 4, 30), D(2025, 5, 1), D(2025, 9, 1), D(2025, 9, 2)]:
        assert not calendar.is_working_day(day), day
    assert calendar.is_working_day(D(2025, 2, 3))


def test_swaps_the_library_knows():
    calendar = WorkCalendar()
    # 2025: Friday 02/05 off, worked on Saturday 26/04 instead.
    assert not calendar.is_working_day(D(2025, 5, 2))
    assert calendar.is_working_day(D(2025, 4, 26))
    # 2024: Monday 29/04 off, worked on Saturday 04/05.
    assert not calendar.is_working_day(D(2024, 4, 29))
    assert calendar.is_working_day(D(2024, 5, 4))


def test_public_holidays_have_vietnamese_names_whatever_the_server_locale():
    holidays_2024 = WorkCalendar().public_holidays(2024)
    assert holidays_2024[D(2024, 2, 10)] == "Tết Nguyên Đán"
    assert holidays_2024[D(2024, 9, 2)] == "Quốc khánh"
    assert "04/05/2024" in holidays_2024[D(2024, 4, 29)]  # the swapped day names the Saturday worked
    assert list(holidays_2024) == sorted(holidays_2024)
    assert all(day.year == 2024 for day in holidays_2024)


def test_weekends_are_off():
    calendar = WorkCalendar()
    assert [calendar.is_working_day(day) for day in days(D(2024, 3, 4), D(2024, 3, 10))] == [True] * 5 + [False] * 2


def test_ten_working_days_after_a_friday_before_tet():
    calendar = WorkCalendar()
    # Friday 02/02/2024: Mon–Wed 05–07/02 count, Tết 08–14/02 does not, then 15/02 onwards.
    assert calendar.add_working_days(D(2024, 2, 2), 10) == D(2024, 2, 23)
    # Friday 24/01/2025, Tết 27–31/01/2025.
    assert calendar.add_working_days(D(2025, 1, 24), 10) == D(2025, 2, 14)
    # An ordinary Friday: two weeks later.
    assert calendar.add_working_days(D(2024, 3, 1), 10) == D(2024, 3, 15)


def test_counting_starts_the_next_day():
    calendar = WorkCalendar()
    monday = D(2024, 3, 4)
    assert calendar.add_working_days(monday, 1) == D(2024, 3, 5)
    assert calendar.add_working_days(D(2024, 3, 8), 1) == D(2024, 3, 11)  # Friday -> Monday
    assert calendar.add_working_days(D(2024, 3, 9), 1) == D(2024, 3, 11)  # Saturday -> Monday


def test_zero_days_is_today_or_the_next_working_day():
    calendar = WorkCalendar()
    assert calendar.add_working_days(D(2024, 3, 4), 0) == D(2024, 3, 4)
    assert calendar.add_working_days(D(2024, 3, 9), 0) == D(2024, 3, 11)
    assert calendar.add_working_days(D(2024, 2, 10), 0) == D(2024, 2, 15)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(D(2024, 3, 4), -1)


def test_added_make_up_saturday_counts():
    saturday = D(2024, 3, 9)
    plain = WorkCalendar()
    with_make_up = WorkCalendar(extra_working_days={saturday})

    assert not plain.is_working_day(saturday)
    assert with_make_up.is_working_day(saturday)
    assert plain.add_working_days(D(2024, 3, 8), 1) == D(2024, 3, 11)
    assert with_make_up.add_working_days(D(2024, 3, 8), 1) == saturday
    assert with_make_up.add_working_days(D(2024, 3, 4), 10) == D(2024, 3, 15)
    assert plain.working_days_between(D(2024, 3, 1), D(2024, 3, 15)) == 10
    assert with_make_up.working_days_between(D(2024, 3, 1), D(2024, 3, 15)) == 11


def test_added_day_off_does_not_count():
    wednesday = D(2024, 3, 6)
    calendar = WorkCalendar(extra_days_off={wednesday})
    assert not calendar.is_working_day(wednesday)
    assert calendar.add_working_days(D(2024, 3, 4), 2) == D(2024, 3, 7)
    assert calendar.add_working_days(D(2024, 3, 1), 10) == D(2024, 3, 18)
    assert calendar.working_days_between(D(2024, 3, 1), D(2024, 3, 15)) == 9


def test_exceptions_override_the_library():
    # A make-up day recorded on a public holiday wins; so does a day off on a library swap day.
    calendar = WorkCalendar(extra_working_days={D(2024, 2, 8)}, extra_days_off={D(2025, 4, 26)})
    assert calendar.is_working_day(D(2024, 2, 8))
    assert not calendar.is_working_day(D(2025, 4, 26))


def test_a_day_cannot_be_both():
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(extra_days_off={D(2024, 3, 9)}, extra_working_days={D(2024, 3, 9)})


def test_working_days_between():
    calendar = WorkCalendar()
    assert calendar.working_days_between(D(2024, 3, 4), D(2024, 3, 4)) == 0
    assert calendar.working_days_between(D(2024, 3, 4), D(2024, 3, 5)) == 1
    assert calendar.working_days_between(D(2024, 3, 8), D(2024, 3, 10)) == 0  # Friday to Sunday
    assert calendar.working_days_between(D(2024, 3, 5), D(2024, 3, 4)) == -1
    assert calendar.working_days_between(D(2024, 2, 2), D(2024, 2, 23)) == 10
    # 2024 has 262 weekdays; 12 days off fall on one, and Saturday 04/05 was worked.
    assert calendar.working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 262 - 12 + 1


def test_datetimes_are_taken_as_their_date():
    calendar = WorkCalendar(extra_days_off=[datetime.datetime(2024, 3, 6, 8, 0)])
    assert not calendar.is_working_day(datetime.datetime(2024, 3, 6, 15, 0))
    assert calendar.add_working_days(datetime.datetime(2024, 3, 4, 23, 0), 1) == D(2024, 3, 5)


def test_fast_enough_for_lists():
    calendar = WorkCalendar(extra_days_off={D(2024, 3, 6)})
    calendar.add_working_days(D(2024, 1, 1), 1)  # warm the per-year cache
    started = time.perf_counter()
    for offset in range(2000):
        calendar.add_working_days(D(2024, 1, 1) + datetime.timedelta(offset % 700), 15)
    calendar.working_days_between(D(2000, 1, 1), D(2030, 12, 31))
    assert time.perf_counter() - started < 1.0


# Properties -----------------------------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))
exceptions = st.frozensets(st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31)), max_size=15)


@st.composite
def calendars(draw) -> WorkCalendar:
    days_off = draw(exceptions)
    working = draw(exceptions) - days_off
    return WorkCalendar(extra_days_off=days_off, extra_working_days=working)


@settings(max_examples=300, deadline=None)
@given(calendar=calendars(), start=dates, n=st.integers(min_value=0, max_value=300))
def test_deadline_is_always_a_working_day(calendar, start, n):
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@settings(max_examples=300, deadline=None)
@given(calendar=calendars(), start=dates, n=st.integers(min_value=1, max_value=300))
def test_between_inverts_add(calendar, start, n):
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@settings(max_examples=200, deadline=None)
@given(calendar=calendars(), a=dates, span=st.integers(min_value=-400, max_value=400))
def test_between_matches_counting_day_by_day(calendar, a, span):
    b = a + datetime.timedelta(span)
    low, high = min(a, b), max(a, b)
    counted = sum(calendar.is_working_day(day) for day in days(low + datetime.timedelta(1), high)) if span else 0
    assert calendar.working_days_between(a, b) == (counted if b >= a else -counted)


@settings(max_examples=200, deadline=None)
@given(calendar=calendars(), day=dates)
def test_next_working_day_skips_only_days_off(calendar, day):
    following = calendar.next_working_day(day)
    assert following > day and calendar.is_working_day(following)
    assert not any(calendar.is_working_day(d) for d in days(day + datetime.timedelta(1), following)[:-1])
