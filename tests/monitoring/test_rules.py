"""Alert rules on month figures: two low months in a row, the first full year, recovery, missing data."""

import datetime as dt

import pytest

from apps.monitoring.figures import MonthFigures
from apps.monitoring.rules import finding


def _month(index: int, status: str, actual: float = 80.0) -> MonthFigures:
    """Month ``index`` after January 2025 with a band of 90-100-110 kWh."""
    return MonthFigures(
        month=dt.date(2025 + index // 12, index % 12 + 1, 1),
        operating_year=1 + index // 12,
        expected_low_kwh=90.0,
        expected_kwh=100.0,
        expected_high_kwh=110.0,
        expected_this_weather_kwh=None,
        actual_kwh=None if status == "missing" else actual,
        coverage=0.0 if status == "missing" else 1.0,
        covered_share=1.0,
        ratio=None if status == "missing" else actual / 100.0,
        status=status,
    )


def test_one_low_month_is_no_alert():
    assert finding([_month(0, "ok", 100), _month(1, "low", 80)], None) is None


def test_two_low_months_raise_an_alert_saying_since_when_and_how_much():
    months = [_month(0, "ok", 100), _month(1, "low", 80), _month(2, "low", 70), _month(3, "running", 10)]
    found = finding(months, None)
    assert found.rule == "consecutive"
    assert found.since_month == dt.date(2025, 2, 1)
    assert found.shortfall_pct == pytest.approx(25.0)  # (80 + 70) of 200 kWh expected: 25 % short


def test_recovery_clears():
    months = [_month(1, "low"), _month(2, "low"), _month(3, "ok", 95)]
    assert finding(months, None) is None


def test_missing_data_is_no_evidence():
    # a low month, a month without data, a low month: not two in a row
    assert finding([_month(1, "low"), _month(2, "missing"), _month(3, "low")], None) is None
    # missing months alone never alert
    assert finding([_month(i, "missing") for i in range(6)], None) is None
    # an alert that holds is not cleared by a month without data at the end
    assert finding([_month(1, "low"), _month(2, "low"), _month(3, "missing")], None).since_month == dt.date(
        2025, 2, 1
    )


def test_first_full_year_below_the_lowest_weather_year():
    # installation month, then twelve months alternating ok/low (the last one low): never two low in a row
    months = [_month(0, "ok", 100)] + [
        _month(i, "ok" if i % 2 else "low", 95 if i % 2 else 85) for i in range(1, 13)
    ]
    total = sum(m.actual_kwh for m in months[1:13])  # 6 × 85 + 6 × 95 = 1080 kWh
    assert total == 1080
    assert finding(months, first_year_low_kwh=1100.0).rule == "first-year"
    assert finding(months, first_year_low_kwh=1100.0).since_month == dt.date(2025, 2, 1)
    assert finding(months, first_year_low_kwh=1000.0) is None  # within the weakest weather year
