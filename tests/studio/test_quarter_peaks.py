"""Billed capacity-tariff peaks from 15-minute Fluvius exports, read through the studio's own layout readers
(the hourly profile would hide the quarter-hour peak)."""

from pathlib import Path

import numpy as np
import pytest

from apps.studio.meterfiles import read_meter_grid
from apps.studio.meterfiles.quarter_peaks import (
    billed_monthly_peaks,
    measured_peak_factor,
    monthly_peaks,
    quarter_hour_import,
)

SAMPLES = Path(__file__).parent / "samples"


def test_newest_fluvius_layout_bills_the_highest_quarter():
    # fluvius_newest_quarter.csv, 05-06-2025 12:00-13:00, register Afname Dag: 0,012 / 0,000 / 0,150 / 0,088
    # kWh (Afname Nacht 'Geen verbruik' = 0). The hour holds 0.25 kWh (0.25 kW mean); its highest quarter
    # 0.150 kWh = 4 x 0.150 = 0.6 kW. June's peak is 0.6 kW, billed at the 2.5 kW floor.
    data = read_meter_grid((SAMPLES / "fluvius_newest_quarter.csv").read_bytes())
    quarters, month = quarter_hour_import(data)
    assert np.nansum(quarters) == pytest.approx(0.25)
    assert set(month[~np.isnan(quarters)]) == {5}
    unfloored = billed_monthly_peaks(data, floor_kw=0.0)
    assert unfloored[5] == pytest.approx(0.6)
    assert np.all(np.delete(unfloored, 5) == 0.0)
    assert np.all(billed_monthly_peaks(data) == 2.5)


def test_old_fluvius_layout_keeps_the_two_autumn_passes_apart():
    # fluvius_old_quarter_autumn_dst.csv, 27-10-2024: quarters of 0,050 at 01:xx, then both passes of 02:xx
    # (0,100 in summer time, 0,200 in winter time) and 0,075 at 03:xx. The highest quarter is 0.200 kWh =
    # 0.8 kW in October; merging the two 02:00 passes into one slot would wrongly bill 4 x 0.3 = 1.2 kW.
    data = read_meter_grid((SAMPLES / "fluvius_old_quarter_autumn_dst.csv").read_bytes())
    assert billed_monthly_peaks(data, floor_kw=0.0)[9] == pytest.approx(0.8)


def test_hourly_file_has_no_quarter_peaks():
    data = read_meter_grid((SAMPLES / "fluvius_english_hourly.csv").read_bytes())
    with pytest.raises(ValueError, match="15-minute"):
        billed_monthly_peaks(data)


def test_a_month_of_a_few_hours_gives_no_measured_factor():
    # fluvius_newest_quarter.csv holds one hour of June (0.6 kW quarter, 0.25 kW hour): far below the 14 days
    # of complete hours a month needs (MIN_MONTH_DAYS), so no month counts and the engine's default applies.
    peaks = monthly_peaks(read_meter_grid((SAMPLES / "fluvius_newest_quarter.csv").read_bytes()))
    assert peaks == {"quarter_hour_kw": [None] * 12, "hourly_kw": [None] * 12, "billed_kw": [None] * 12}
    assert measured_peak_factor(peaks) is None


def test_the_measured_factor_weighs_months_by_their_peaks():
    # Two covered months: quarters 4.0 and 2.0 kW over hours 3.0 and 1.0 kW → (4 + 2) / (3 + 1) = 1.5 (not the
    # mean of the ratios, 1.67): times the hourly peaks it bills the same mean peak as the quarters.
    peaks = {"quarter_hour_kw": [4.0, 2.0] + [None] * 10, "hourly_kw": [3.0, 1.0] + [None] * 10}
    assert measured_peak_factor(peaks) == 1.5
