"""Report assembly and chart aggregation: pure functions checked against the seed's conventions."""

from datetime import datetime

import numpy as np
import pytest

from apps.scans.breakdown import breakdown
from apps.scans.report import build_report, roof_direction
from apps.scans.series import HOURLY_SERIES

from .conftest import SEED_BODY, resolved_inputs


@pytest.mark.parametrize(
    "azimuth,direction",
    # DESIGN §4 / seed orientationAngle: azimuth 180 = south, 0 = north, clockwise.
    [
        (180, "south"),
        (0, "north"),
        (360, "north"),
        (90, "east"),
        (270, "west"),
        (225, "south-west"),
        (160, "south"),
    ],
)
def test_roof_direction(azimuth, direction):
    assert roof_direction(azimuth) == direction


def test_report_figures_are_consistent_with_the_result(seed_result):
    report = build_report(inputs=resolved_inputs(SEED_BODY), result=seed_result)
    kpi = report["overview"]["kpi"]
    assert kpi["self_sufficiency_improvement"] == pytest.approx(
        kpi["self_sufficiency"] - kpi["self_sufficiency_baseline"], abs=2e-4
    )
    # toGrid = export / production, as a percentage (seed example: 620 of 4000 kWh ≈ 15 %).
    solar = report["solar"]
    assert solar["to_grid"] == pytest.approx(
        100 * seed_result.grid_export_kwh / seed_result.total_pv_output_kwh, abs=0.06
    )
    # netGridDependencyKwh = purchase − feed-in (seed example: 2100 − 620 = 1480).
    sus = report["sustainability"]
    assert sus["self_sufficiency"]["net_grid_dependency_kwh"] == pytest.approx(
        sus["energy_balance"]["grid_purchase_kwh"] - sus["energy_balance"]["grid_feed_in_kwh"], abs=0.11
    )
    # projectedCo2Savings in tonnes over the period (seed example: 8.25 t).
    assert sus["equivalents"]["projected_co2_savings"] == pytest.approx(
        sus["co2_emissions"]["co2_saved_total_kg"] / 1000, abs=0.01
    )
    assert report["financial"]["parameters"]["discount_rate"] == 5.0  # DESIGN §4 default 5 %
    assert report["financial"]["parameters"]["evaluation_period"] == SEED_BODY["analysisYears"]
    assert report["battery"]["was_requested"] is True
    assert len(report["scenarios"]) >= 2 and report["assumptions"]["weather_source"] == "offline"


def test_infeasible_result_has_no_report(seed_result):
    from dataclasses import replace

    with pytest.raises(ValueError):
        build_report(inputs=resolved_inputs(SEED_BODY), result=replace(seed_result, status="infeasible"))


def _flat_series(value=1.0):
    hourly = {name: np.full(8760, value) for name in HOURLY_SERIES}
    hourly["battery_level"] = np.arange(8760, dtype=float)
    return hourly


def test_breakdown_buckets_sum_hours():
    hourly = _flat_series()
    year = breakdown(hourly=hourly, charts={}, year=2027, interval="year")
    # 1 kWh every hour: January 31 × 24 = 744 kWh, February (non-leap time base) 28 × 24 = 672 kWh.
    assert year["consumption"][:2] == [744.0, 672.0] and sum(year["consumption"]) == 8760
    day = breakdown(hourly=hourly, charts={}, year=2027, start=datetime(2027, 1, 2, 5), interval="day")
    assert day["battery_level_kwh"][:2] == [24.0, 25.0]  # 2 January starts at hour 24
    # the series are in local standard time (UTC+1): 2 January 00:00 local is 1 January 23:00 UTC
    assert (
        day["start_date"] == "2027-01-01T23:00:00.000Z"
        and day["end_date"] == "2027-01-02T23:00:00.000Z"
        and day["simulated_year"] == 2027
    )
    wrap = breakdown(
        hourly=hourly, charts={}, year=2027, start=datetime(2027, 12, 30), interval="week", extended=True
    )
    assert len(wrap["battery_level_kwh"]) == 168 and wrap["battery_level_kwh"][48] == 0.0  # wraps to 1 Jan
    leap = breakdown(hourly=hourly, charts={}, year=2027, start=datetime(2028, 2, 29), interval="day")
    assert leap["labels"][0] == "00:00" and leap["battery_level_kwh"][0] == (31 + 27) * 24  # 29 Feb → 28 Feb


def test_report_shows_the_spread_over_measured_years(seed_result):
    report = build_report(inputs=resolved_inputs(SEED_BODY), result=seed_result)
    spread = report["year_spread"]
    # KNMI De Bilt: 2022 the sunniest (1,195 kWh/m2), 2021 the dullest (1,032) of 2021-2024.
    assert spread["sunny_year"]["weather_year"] == 2022 and spread["dull_year"]["weather_year"] == 2021
    assert [y["weather_year"] for y in spread["weather_years"]] == [2021, 2022, 2023, 2024]
    assert spread["sunny_year"]["pv_output_kwh"] > spread["dull_year"]["pv_output_kwh"]
    own = next(y for y in spread["weather_years"] if y["weather_year"] == seed_result.weather_year)
    assert own["yearly_savings"] == pytest.approx(seed_result.finance.year_one_savings, abs=0.01)
    assert {b["price_year"] for b in spread["battery_value_by_price_year"]} == {2023, 2024, 2025}
    accuracy = {f["factor"]: f for f in report["accuracy"]["factors"]}
    assert (
        accuracy["weather"]["detail"] == "weather measured at KNMI De Bilt in 2023, carried to this location"
    )
    assert report["assumptions"]["weatherSource"].startswith(
        "KNMI De Bilt (station 260) hourly measurements 2023"
    )
