"""Meter-file parsing onto the 8760-hour reference year: totals, gaps, multi-year, partial year, speed.

Full-year files are generated in each layout by ``devkit.meterfiles`` with whole-Wh
energies, so the file totals the tests compare with are exact sums of what each file says.
"""

from __future__ import annotations

import time
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from apps.studio.meterfiles import HOURS_PER_YEAR, STANDARD_TIME, parse_meter_file, read_meter_file
from devkit import meterfiles as syn

REL = 1e-6  # totals must match the file to 1e-6 relative


def std(*args: int) -> datetime:
    return datetime(*args, tzinfo=STANDARD_TIME)


@pytest.fixture(scope="module")
def year_15min() -> syn.SyntheticData:
    return syn.synthetic_data("2025-01-01", "2026-01-01", step_min=15, seed=3)


@pytest.fixture(scope="module")
def year_hourly() -> syn.SyntheticData:
    return syn.synthetic_data("2025-01-01", "2026-01-01", step_min=60, seed=4)


def assert_full_year(result, data: syn.SyntheticData, fmt: str) -> None:
    assert result.format == fmt
    assert result.consumption_kwh.shape == (HOURS_PER_YEAR,)
    assert result.completed_hours == 0
    assert result.gaps.count == 0
    assert result.period_start == std(2025, 1, 1, 0)
    assert result.period_end == std(2026, 1, 1, 0)
    # file total = sum of the generated Wh values written to the file
    assert result.source_total_import_kwh == pytest.approx(data.total_import_kwh, rel=REL)
    assert result.consumption_kwh.sum() == pytest.approx(data.total_import_kwh, rel=REL)
    assert result.export_kwh.sum() == pytest.approx(data.total_export_kwh, rel=REL)
    assert (result.consumption_kwh >= 0).all()
    # nothing dropped, estimated or reordered (reading cumulative values is the one expected note)
    assert [w for w in result.warnings if "cumulative" not in w] == []


# --- full years: totals equal the file's totals --------------------------------------------------------


@pytest.mark.parametrize("variant", ["old", "2025", "newest", "english"])
def test_fluvius_full_year_quarter_hour_totals(year_15min, variant):
    result = parse_meter_file(syn.fluvius_csv(year_15min, variant=variant))
    assert_full_year(result, year_15min, "fluvius")
    assert result.resolution_minutes == 15


def test_fluvius_full_year_hourly_totals(year_hourly):
    result = parse_meter_file(syn.fluvius_csv(year_hourly, variant="english"))
    assert_full_year(result, year_hourly, "fluvius")
    assert result.resolution_minutes == 60


@pytest.mark.parametrize(("variant", "phases"), [("p1", False), ("p1", True), ("kwh", False)])
def test_homewizard_full_year_totals(year_15min, variant, phases):
    result = parse_meter_file(syn.homewizard_csv(year_15min, variant=variant, phases=phases))
    assert_full_year(result, year_15min, "homewizard")


def test_dsmr_reader_full_year_totals(year_hourly):
    result = parse_meter_file(syn.dsmr_reader_csv(year_hourly))
    assert_full_year(result, year_hourly, "dsmr-reader")


@pytest.mark.parametrize(
    ("sep", "comma", "header"),
    [(",", False, True), (";", True, False), (";", True, True), ("\t", False, False)],
)
def test_generic_full_year_totals(year_15min, sep, comma, header):
    result = parse_meter_file(syn.generic_csv(year_15min, sep=sep, decimal_comma=comma, header=header))
    assert_full_year(result, year_15min, "generic")


def test_generic_cumulative_full_year_totals(year_hourly):
    result = parse_meter_file(syn.generic_csv(year_hourly, cumulative=True))
    assert_full_year(result, year_hourly, "generic")
    assert result.details["cumulative"] is True


def test_hours_land_on_standard_time_of_the_reference_year(year_hourly):
    result = parse_meter_file(syn.generic_csv(year_hourly, export=False))
    assert result.export_kwh is None
    local = year_hourly.local()
    # the file's row for 1 July 2025 14:00 summer time is 13:00 UTC+1: day 181 (0-based), hour 13
    row = np.flatnonzero((local.month == 7) & (local.day == 1) & (local.hour == 14))[0]
    assert result.consumption_kwh[181 * 24 + 13] == pytest.approx(year_hourly.import_wh[row] / 1000)
    # 1 January 00:00 (winter, UTC+1) is index 0
    assert result.consumption_kwh[0] == pytest.approx(year_hourly.import_wh[0] / 1000)


# --- gaps ----------------------------------------------------------------------------------------------


def test_fluvius_gaps_are_filled_and_reported(year_15min):
    local = year_15min.local()
    wall = local.tz_localize(None)
    # drop 3 days (10-12 Feb) and one hour (15 Jul 14:00-15:00 CEST)
    drop = np.asarray(
        ((wall >= "2025-02-10") & (wall < "2025-02-13"))
        | ((wall >= "2025-07-15 14:00") & (wall < "2025-07-15 15:00"))
    )
    result = parse_meter_file(syn.fluvius_csv(year_15min, drop=drop))
    kept_import = year_15min.import_wh[~drop].sum() / 1000  # sum of the Volume column of the file
    assert result.source_total_import_kwh == pytest.approx(kept_import, rel=REL)
    assert result.period_import_kwh == pytest.approx(kept_import, rel=REL)
    assert result.gaps.count == 2
    assert result.gaps.largest_gap_hours == 72.0
    assert result.gaps.largest_gap_start == std(2025, 2, 10, 0)
    assert result.gaps.largest_gap_end == std(2025, 2, 13, 0)
    assert result.gaps.filled_hours == 73  # 72 + 1 hourly values contain estimates
    short = min(result.gaps.gaps, key=lambda g: g.hours)
    assert (short.start, short.hours, short.total_known) == (std(2025, 7, 15, 13), 1.0, False)
    # the measured hours are untouched, the estimated ones are plausible (same hours in other weeks)
    feb = slice((31 + 9) * 24, (31 + 12) * 24)
    assert result.consumption_kwh[feb].sum() == pytest.approx(
        year_15min.import_wh[drop].sum() / 1000, rel=0.5
    )
    assert result.consumption_kwh.sum() == pytest.approx(year_15min.total_import_kwh, rel=0.05)
    assert any("gap" in w for w in result.warnings)


def test_homewizard_offline_gaps_keep_the_meter_total(year_15min):
    offline = np.zeros(len(year_15min.utc_s) + 1, dtype=bool)
    offline[5000:5400] = True  # 100 hours of empty readings
    offline[20000:20003] = True  # 45 minutes
    result = parse_meter_file(syn.homewizard_csv(year_15min, offline=offline))
    # the energy over each gap is known from the readings either side: totals stay exact
    assert result.consumption_kwh.sum() == pytest.approx(year_15min.total_import_kwh, rel=REL)
    assert result.export_kwh.sum() == pytest.approx(year_15min.total_export_kwh, rel=REL)
    assert result.gaps.count == 2
    # 400 missing readings -> intervals from the last reading before to the first after: 401 quarters
    assert result.gaps.largest_gap_hours == pytest.approx(401 / 4)
    assert all(g.total_known for g in result.gaps.gaps)


def test_dsmr_reader_gaps_of_many_hours(year_hourly):
    drop = np.zeros(len(year_hourly.utc_s), dtype=bool)
    drop[1000:1200] = True  # 200 hours
    drop[3000:3002] = True  # 2 hours: interpolated
    drop[6000:6030] = True
    result = parse_meter_file(syn.dsmr_reader_csv(year_hourly, drop=drop))
    kept = year_hourly.import_wh[~drop].sum() / 1000  # sum of Electricity 1 + 2 in the file
    assert result.source_total_import_kwh == pytest.approx(kept, rel=REL)
    assert result.period_import_kwh == pytest.approx(kept, rel=REL)
    assert result.gaps.count == 3
    assert result.gaps.largest_gap_hours == 200.0
    assert result.gaps.filled_hours == 232
    assert result.gaps.largest_gap_start == pd.Timestamp(
        int(year_hourly.utc_s[1000]), unit="s", tz="UTC"
    ).tz_convert(STANDARD_TIME)


# --- multi-year, leap day, partial year -----------------------------------------------------------------


def test_multi_year_takes_the_most_recent_365_days():
    data = syn.synthetic_data("2023-06-01", "2025-06-01", step_min=60, seed=5)
    result = parse_meter_file(syn.generic_csv(data))
    # file ends 1 June 2025 00:00 CEST = 31 May 23:00 UTC+1; 365 days earlier (no 29 Feb in between)
    assert result.period_end == std(2025, 5, 31, 23)
    assert result.period_start == std(2024, 5, 31, 23)
    assert result.completed_hours == 0
    in_period = data.utc_s >= int(pd.Timestamp("2024-05-31 22:00", tz="UTC").timestamp())
    expected = data.import_wh[in_period].sum() / 1000  # the file's rows from that hour on
    assert result.consumption_kwh.sum() == pytest.approx(expected, rel=REL)
    assert result.source_total_import_kwh == pytest.approx(data.total_import_kwh, rel=REL)
    assert any("most recent 365 days" in w for w in result.warnings)


def test_leap_year_drops_29_february():
    data = syn.synthetic_data("2024-01-01", "2025-01-01", step_min=60, seed=6)
    result = parse_meter_file(syn.generic_csv(data))
    assert result.period_start == std(2024, 1, 1, 0)  # 366 days: the window keeps the whole year
    local = data.local()
    feb29 = np.asarray((local.month == 2) & (local.day == 29))
    assert result.completed_hours == 0
    # file total minus the 24 rows of 29 February
    expected = (data.import_wh.sum() - data.import_wh[feb29].sum()) / 1000
    assert result.consumption_kwh.sum() == pytest.approx(expected, rel=REL)
    # 1 March lands on day 59 of the reference year
    first_march = np.flatnonzero((local.month == 3) & (local.day == 1))[0]
    assert result.consumption_kwh[59 * 24] == pytest.approx(data.import_wh[first_march] / 1000)
    assert any("29 February" in w for w in result.warnings)


def test_partial_year_is_completed_and_reported():
    data = syn.synthetic_data("2025-03-01", "2025-06-01", step_min=15, seed=7)
    result = parse_meter_file(syn.homewizard_csv(data))
    # 1 March 00:00 CET .. 1 June 00:00 CEST = 92 days minus the spring hour: 2207 hours in UTC+1
    covered_hours = 92 * 24 - 1
    assert result.coverage_days == pytest.approx(covered_hours / 24)
    assert result.completed_hours == HOURS_PER_YEAR - covered_hours
    covered = slice(59 * 24, 59 * 24 + covered_hours)  # 1 March is day 59
    assert result.consumption_kwh[covered].sum() == pytest.approx(data.total_import_kwh, rel=REL)
    assert result.period_import_kwh == pytest.approx(data.total_import_kwh, rel=REL)
    # the completed months follow the seasonal shape: more in January than in May (measured)
    jan = result.consumption_kwh[: 31 * 24].sum()
    may = result.consumption_kwh[120 * 24 : 151 * 24].sum()
    assert jan > may
    assert (result.consumption_kwh >= 0).all()
    assert np.isfinite(result.consumption_kwh).all()
    assert result.export_kwh.sum() > data.total_export_kwh  # other months add export too
    assert any("covers 92.0 of 365 days" in w for w in result.warnings)
    report = result.report()
    assert report["completedHours"] == result.completed_hours
    assert report["coverageDays"] == pytest.approx(91.96, abs=0.01)


def test_stage_one_series_frame():
    data = syn.synthetic_data("2025-01-01", "2025-01-15", step_min=15, seed=8)
    series = read_meter_file(syn.fluvius_csv(data))
    frame = series.to_frame()
    assert len(frame) == 14 * 24
    assert frame.index[0] == pd.Timestamp("2025-01-01 00:00", tz=STANDARD_TIME)
    assert frame["import_kwh"].sum() == pytest.approx(data.total_import_kwh, rel=REL)


# --- speed ---------------------------------------------------------------------------------------------


def best_of(fn, n: int = 5) -> float:
    """Fastest of n runs in CPU seconds of this process: parsing is single-threaded, and CPU time does
    not grow when other jobs share the machine (wall time is printed by benchmarks/meterfiles_bench.py)."""
    times = []
    for _ in range(n):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda d: syn.fluvius_csv(d), id="fluvius-4-registers"),
        pytest.param(lambda d: syn.homewizard_csv(d, phases=True), id="homewizard"),
        pytest.param(lambda d: syn.generic_csv(d, sep=";", decimal_comma=True), id="generic"),
    ],
)
def test_a_year_of_quarter_hours_parses_within_a_second(year_15min, make):
    data = make(year_15min)
    parse_meter_file(data)  # warm-up (imports, time-zone data)
    assert best_of(lambda: parse_meter_file(data)) <= 1.0
