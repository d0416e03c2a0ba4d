"""Actual production per month: gaps are marked and weighed, never counted as zero."""

import datetime as dt

import pandas as pd
import pytest

from apps.monitoring.figures import MIN_COVERAGE, month_figures, operating_year, since_installation
from tests.monitoring.support import roof_expected, typical_readings

UTC = dt.UTC
NOW = dt.datetime(2025, 9, 15, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def expected():
    return roof_expected()


def _months(expected, readings, install=dt.date(2025, 5, 1)):
    return {m.month: m for m in month_figures(expected, readings, install, NOW)}


def test_complete_months_at_80_percent(expected):
    readings = typical_readings(expected, dt.datetime(2025, 4, 30, 23, tzinfo=UTC), NOW, lambda h: 0.8)
    months = _months(expected, readings)
    june = months[dt.date(2025, 6, 1)]
    assert june.coverage == 1.0 and june.covered_share == pytest.approx(1.0)
    # readings are 0.8 × the typical hours, whose June sum is the typical June itself
    assert june.actual_kwh == pytest.approx(0.8 * june.expected_kwh, rel=1e-6)
    assert june.ratio == pytest.approx(0.8, rel=1e-6)
    assert months[dt.date(2025, 9, 1)].status == "running"  # September is not over on the 15th
    assert since_installation(list(months.values())).ratio == pytest.approx(0.8, rel=1e-6)


def test_a_missing_day_is_weighed_not_zero(expected):
    readings = typical_readings(expected, dt.datetime(2025, 4, 30, 23, tzinfo=UTC), NOW, lambda h: 1.0)
    # the sunny 15 July is lost (local standard time 00:00-24:00 = 14 July 23:00 - 15 July 23:00 UTC)
    gap = (readings.index >= "2025-07-14 23:00Z") & (readings.index < "2025-07-15 23:00Z")
    july = _months(expected, readings[~gap])[dt.date(2025, 7, 1)]
    assert july.coverage == pytest.approx(30 / 31)
    assert july.covered_share < 1.0  # the day carried part of the month's production
    assert july.actual_kwh == pytest.approx(july.expected_kwh * july.covered_share, rel=1e-6)
    assert july.ratio == pytest.approx(1.0, rel=1e-6)  # not 30/31: the missing day is not a zero
    assert july.status == "ok"


def test_a_month_mostly_without_data_is_missing(expected):
    readings = typical_readings(expected, dt.datetime(2025, 4, 30, 23, tzinfo=UTC), NOW, lambda h: 0.5)
    gap = (readings.index >= "2025-08-01") & (readings.index < "2025-08-11")  # ten days of outage
    august = _months(expected, readings[~gap])[dt.date(2025, 8, 1)]
    assert august.coverage < MIN_COVERAGE
    assert august.status == "missing" and august.ratio is None
    assert august.actual_kwh > 0  # what was measured is still shown


def test_month_without_any_reading(expected):
    months = _months(expected, pd.Series([], index=pd.DatetimeIndex([], tz="UTC"), dtype=float))
    assert all(m.actual_kwh is None for m in months.values())
    assert {m.status for m in months.values()} == {"missing", "running"}


def test_installed_mid_month_expects_only_the_days_since(expected):
    install = dt.date(2025, 6, 16)
    readings = typical_readings(expected, dt.datetime(2025, 6, 15, 23, tzinfo=UTC), NOW, lambda h: 1.0)
    june = _months(expected, readings, install)[dt.date(2025, 6, 1)]
    assert june.coverage == 1.0  # every hour since the installation
    assert 0.4 < june.covered_share < 0.6  # fifteen of thirty days
    assert june.ratio == pytest.approx(1.0, rel=1e-6)


def test_operating_years_count_from_the_installation_month():
    assert operating_year(dt.date(2025, 5, 20), dt.date(2025, 5, 1)) == 1
    assert operating_year(dt.date(2025, 5, 20), dt.date(2026, 4, 1)) == 1
    assert operating_year(dt.date(2025, 5, 20), dt.date(2026, 5, 1)) == 2
