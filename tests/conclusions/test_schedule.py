"""The dates an assignment owes: deadlines and the report dates of each reporting cycle."""

import datetime

import pytest

from conclusions.models import Assignment, ReportingCycle
from conclusions.schedule import cycle_dues, describe, planned_dues

D = datetime.date


def labels(dues):
    return [(d.label, d.due_on) for d in dues]


def test_yearly_reports_until_the_end_of_the_term():
    dues = cycle_dues(ReportingCycle.YEARLY, 15, D(2023, 8, 28), D(2025, 12, 31))
    assert labels(dues) == [("Năm 2023", D(2023, 12, 15)), ("Năm 2024", D(2024, 12, 15)), ("Năm 2025", D(2025, 12, 15))]
    assert dues[0].period_start == D(2023, 1, 1) and dues[0].period_end == D(2023, 12, 31)


def test_quarterly_reports_are_named_in_roman_numerals():
    dues = cycle_dues(ReportingCycle.QUARTERLY, 15, D(2023, 8, 28), D(2024, 6, 30))
    assert labels(dues) == [
        ("Quý III/2023", D(2023, 9, 15)),
        ("Quý IV/2023", D(2023, 12, 15)),
        ("Quý I/2024", D(2024, 3, 15)),
        ("Quý II/2024", D(2024, 6, 15)),
    ]
    assert dues[0].period_start == D(2023, 7, 1) and dues[0].period_end == D(2023, 9, 30)


def test_half_year_and_nine_month_reports():
    half = cycle_dues(ReportingCycle.HALF_YEARLY, 10, D(2024, 1, 1), D(2024, 12, 31))
    assert labels(half) == [("6 tháng đầu năm 2024", D(2024, 6, 10)), ("Năm 2024", D(2024, 12, 10))]
    nine = cycle_dues(ReportingCycle.NINE_MONTHS, 20, D(2023, 8, 28), D(2024, 12, 31))
    assert labels(nine) == [("9 tháng năm 2023", D(2023, 9, 20)), ("9 tháng năm 2024", D(2024, 9, 20))]


def test_monthly_reports_skip_a_report_date_on_or_before_the_issue_date():
    dues = cycle_dues(ReportingCycle.MONTHLY, 15, D(2023, 11, 15), D(2024, 2, 1))
    assert labels(dues) == [("Tháng 12/2023", D(2023, 12, 15)), ("Tháng 1/2024", D(2024, 1, 15))]


@pytest.mark.django_db
def test_working_days_count_from_the_issue_date_skipping_weekends_and_holidays():
    assignment = Assignment(schedule=Assignment.Schedule.DEADLINE, working_days=5)
    # Friday 28/4/2023: 29/4–3/5 are the Reunification Day and Labour Day holidays plus a weekend.
    (due,) = planned_dues(assignment, D(2023, 4, 28))
    assert due.due_on == D(2023, 5, 10)
    assert describe(assignment) == "hoàn thành trong 5 ngày làm việc kể từ ngày ban hành thông báo"


def test_a_dated_deadline_is_kept_as_given():
    assignment = Assignment(schedule=Assignment.Schedule.DEADLINE, deadline=D(2023, 12, 31))
    assert labels(planned_dues(assignment, D(2023, 8, 28))) == [("Hạn hoàn thành", D(2023, 12, 31))]
    assert describe(assignment) == "hoàn thành trước ngày 31/12/2023"
