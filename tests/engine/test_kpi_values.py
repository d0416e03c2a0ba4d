"""Value tests of every KPI and report field a homeowner sees, on a synthetic year worked out by hand.

The case (``hand_inputs``): a studio load of 0.5 kWh every hour except 1.0 kWh at 12:00; two new PV arrays
(2.4 kWp and 1.6 kWp, fixed panel counts) whose yield is 0.25 kWh/kWp at 10, 11, 12 and 13 h and zero
otherwise (so 1.0 kWh of PV in each of those hours); a 2 kWh / 1 kW battery (fixed size) with a 50 %
reserve (1 kWh usable), 100 % round trip, 5-year life; a flat Belgian contract (no net metering, no
feed-in floor) at 0.40 EUR/kWh import and 0.05 EUR/kWh feed-in, no feed-in cost; 10 analysis years, 5 % discount, 2 %/yr
price escalation. The goal self-sufficiency runs the self-consumption (greedy) dispatch.

Per day, by hand: load 12.5 kWh; PV 4 kWh; used directly 0.5+0.5+1.0+0.5 = 2.5 kWh; surplus 0.5 at 10,
11 and 13 h: the battery (empty down to its reserve each afternoon) stores 0.5 + 0.5 = 1.0 kWh at 10-11 h
and is full, so 0.5 kWh is exported at 13 h; it delivers 0.5 + 0.5 kWh at 14-15 h. Grid import
12.5 - 2.5 - 1.0 = 9.0 kWh. Times 365 gives the yearly figures in ``HAND``.

Deliberate mutations this module guards against (each was tried and turned a test red):
- self-consumption counts only direct use (apps/engine/api.py, ``used = ...``);
- cycles per year divided by the full capacity instead of the usable capacity (api.py);
- battery replacement cost halved (api.py);
- CO2 per PV array not in proportion to its output (api.py, ``co2_saved_kg`` of new arrays);
- ``peak_grid_demand_kw`` fed from the before-installation value (apps/scans/report.py);
- cycles, replacement cost, trees or investment after incentives set to 0 (report.py);
- accuracy rating forced to "high" (report.py);
- optimistic/pessimistic battery fade swapped in the payback range (apps/engine/scenarios.py).
Also tried and red (here or in test_fixed_costs/test_scenarios/test_finance): a payback of 0.0 instead of
null when nothing is bought; either fixed installation cost dropped; the standby draw ignored.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from apps.engine import api as engine_api
from apps.engine import defaults as d
from apps.engine.api import run_scan
from apps.engine.types import (
    NewPvArray,
)
from apps.scans.report import build_report
from tests.engine.hand_case import (
    BATTERY_COST_PER_KWH,
    BATTERY_FIXED,
    DAYS,
    DISCOUNT,
    ESCALATION,
    FEED_IN,
    HAND,
    IMPORT,
    PV_COST_PER_KWP,
    PV_FIXED,
    PV_ONLY_EXPORT,
    PV_ONLY_IMPORT,
    YEARS,
    YIELD,
    HandWeather,
    hand_inputs,
)


@pytest.fixture(scope="module")
def hand_result():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine_api, "kwh_per_kwp", lambda weather, tilt, azimuth, losses: YIELD.copy())
        return run_scan(hand_inputs(), weather_provider=HandWeather())


@pytest.fixture(scope="module")
def hand_report(hand_result):
    inputs = {"location": {"lat": 50.85, "lon": 4.35}, "input_method": "studio", "new_pv": [{}]}
    return build_report(inputs=inputs, result=hand_result)


def _bill(imported: float, exported: float) -> float:
    return imported * IMPORT - exported * FEED_IN


S_PV = _bill(HAND["load"], 0) - _bill(PV_ONLY_IMPORT, PV_ONLY_EXPORT)  # 392.375 EUR/yr
S_BAT = _bill(PV_ONLY_IMPORT, PV_ONLY_EXPORT) - _bill(HAND["grid_import"], HAND["exported"])  # 127.75
PV_CAPEX = 4.0 * PV_COST_PER_KWP + PV_FIXED  # 1600 + 600 = 2200
BAT_CAPEX = 2.0 * BATTERY_COST_PER_KWH + BATTERY_FIXED  # 600 + 500 = 1100


def hand_cashflows(
    escalation: float = ESCALATION, fade: float = d.BATTERY_CAPACITY_FADE_PER_YEAR
) -> list[float]:
    """The finance module's documented formula, written out: savings_y = esc^(y-1) x (S_pv x 0.995^(y-1)
    + S_bat x soh_y), soh_y = 1 - fade x ((y-1) mod 5) (5-year life), battery bought again in year 6."""
    flows = [-(PV_CAPEX + BAT_CAPEX)]
    for y in range(1, YEARS + 1):
        soh = 1 - fade * ((y - 1) % 5)
        savings = (1 + escalation) ** (y - 1) * (
            S_PV * (1 - d.PV_DEGRADATION_PER_YEAR) ** (y - 1) + S_BAT * soh
        )
        flows.append(savings - (BAT_CAPEX if y == 6 else 0.0))  # replaced at 100 % of the price
    return flows


def hand_payback(flows: list[float]) -> float | None:
    total = flows[0]
    for y in range(1, len(flows)):
        if total + flows[y] >= 0:
            return (y - 1) + (-total) / flows[y]
        total += flows[y]
    return None


def test_hand_flows(hand_result):
    s = hand_result.series
    assert s.consumption.sum() == pytest.approx(HAND["load"])
    assert s.solar_production.sum() == pytest.approx(HAND["pv"])
    assert s.solar_used_onsite.sum() == pytest.approx(HAND["direct"])
    assert s.solar_stored.sum() == pytest.approx(HAND["stored"])
    assert s.solar_exported.sum() == pytest.approx(HAND["exported"])
    assert s.battery_used_onsite.sum() == pytest.approx(HAND["battery_out"])
    assert hand_result.grid_import_kwh == pytest.approx(HAND["grid_import"])
    assert hand_result.grid_import_kwh_bau == pytest.approx(HAND["load"])


def test_energy_kpis(hand_result, hand_report):
    r, kpi = hand_result, hand_report["overview"]["kpi"]
    # Self-sufficiency = (direct + from battery) / load = (912.5 + 365) / 4562.5 = 0.28; before: 0.
    assert r.self_sufficiency == pytest.approx(0.28)
    assert kpi["self_sufficiency"] == pytest.approx(0.28)
    assert kpi["self_sufficiency_baseline"] == pytest.approx(0.0)
    assert kpi["self_sufficiency_improvement"] == pytest.approx(0.28)
    # Self-consumption = (direct + stored) / PV = (912.5 + 365) / 1460 = 87.5 %.
    assert hand_report["overview"]["self_consumption"]["self_consumption"] == pytest.approx(87.5)
    assert hand_report["solar"]["direct_consumption"] == pytest.approx(87.5)
    # toGrid = 182.5 / 1460 = 12.5 %.
    assert hand_report["solar"]["to_grid"] == pytest.approx(12.5)
    # Peak grid demand: 1.0 kW at noon before; after, noon is covered by PV and the peak is 0.5 kW.
    grid = hand_report["electricity_grid"]
    assert grid["peak_grid_demand_kw"] == pytest.approx(0.5)
    assert grid["peak_grid_demand_kw_bau"] == pytest.approx(1.0)
    assert grid["annual_energy_supplied_kwh"] == pytest.approx(3285.0)
    assert grid["annual_energy_supplied_kwh_bau"] == pytest.approx(4562.5)


def test_battery_kpis(hand_report):
    b = hand_report["battery"]
    # 365 kWh delivered a year / 1 kWh usable (2 kWh x (1 - 50 %)) = 365 cycles.
    assert b["performance"]["cycles_per_year"] == pytest.approx(365.0)
    # Installed year 6 (5-year life); at the end of year 10 it is 5 years old: 1 - 5 x 2 % = 90 %.
    assert b["performance"]["state_of_health"] == pytest.approx(90.0)
    # Battery's own year-one savings: PV-only bill - design bill = 127.75 EUR.
    assert b["performance"]["annual_savings"] == pytest.approx(127.75)
    # 2 kWh x 300 EUR/kWh + 500 EUR fixed installation.
    assert b["costs"]["purchase_cost"] == pytest.approx(1100.0)
    # One replacement (year 6) at 100 % of today's price (installation included).
    assert b["costs"]["replacement_cost"] == pytest.approx(1100.0)
    assert b["costs"]["replacement_years"] == [6]
    # About 127.75 x 4.8 = 613 EUR by year 5, then 1100 EUR again: never paid back within 10 years.
    assert b["costs"]["system_return_period"] is None


def test_money_kpis(hand_result, hand_report):
    flows = hand_cashflows()
    fin = hand_report["financial"]
    # Year one: BAU 4562.5 x 0.40 = 1825; design 3285 x 0.40 - 182.5 x 0.05 = 1304.875; savings 520.125.
    assert hand_report["overview"]["kpi"]["yearly_savings"] == pytest.approx(520.13, abs=0.01)
    assert fin["year_one"]["energy_bill"] == pytest.approx(1304.88, abs=0.01)
    assert fin["parameters"]["baseline_first_year_cost"] == pytest.approx(1825.0)
    inv = fin["investment"]
    # 4 kWp x 400 EUR/kWp + 600 EUR fixed; 2 kWh x 300 EUR/kWh + 500 EUR fixed.
    assert inv["solar_purchase_cost"] == pytest.approx(2200.0)
    assert inv["battery_purchase_cost"] == pytest.approx(1100.0)
    assert inv["total_investment"] == pytest.approx(3300.0)
    assert inv["total_investment_after_incentives"] == pytest.approx(3300.0)
    # Replacement in year 6 discounted: 1100 / 1.05^6.
    assert inv["replacement_cost_net_present_value"] == pytest.approx(1100 / 1.05**6, abs=0.01)
    npv = sum(cf / (1 + DISCOUNT) ** y for y, cf in enumerate(flows))
    assert fin["net_present_value"] == pytest.approx(npv, abs=0.01)
    assert fin["is_positive_outcome"] is (npv > 0)
    payback = hand_payback(flows)
    assert payback is not None
    assert hand_result.finance.payback_years == pytest.approx(payback, rel=1e-9)
    assert hand_report["overview"]["kpi"]["return_period"] == pytest.approx(payback, abs=0.051)


def test_payback_range(hand_result, hand_report):
    # Low = 4 %/yr escalation with 1 %/yr fade; base = the scan's 2 %/yr and 2 %/yr; high = 0 %/yr
    # escalation with 3 %/yr fade (defaults.PRICE_ESCALATION_LOW_HIGH, BATTERY_CAPACITY_FADE_LOW_HIGH).
    low = hand_payback(hand_cashflows(0.04, 0.01))
    base = hand_payback(hand_cashflows(0.02, 0.02))
    high = hand_payback(hand_cashflows(0.0, 0.03))
    engine = hand_result.payback_range
    assert (engine.low, engine.base, engine.high) == pytest.approx((low, base, high), rel=1e-9)
    pr = hand_report["payback_range"]
    assert (pr["low"], pr["base"], pr["high"]) == pytest.approx((low, base, high), abs=0.051)
    assert pr["low"] < pr["base"] < pr["high"]
    assert pr["assumptions"]["low"]["batteryFadePerYear"] == 0.01
    assert pr["assumptions"]["high"]["batteryFadePerYear"] == 0.03


def test_co2_kpis(hand_report):
    # Saved: (4562.5 - 3285) kWh x 0.374 kg/kWh = 477.785 kg/yr.
    yearly = 1277.5 * d.GRID_CARBON_INTENSITY_KG_PER_KWH
    co2 = hand_report["sustainability"]["co2_emissions"]
    assert co2["co2_saved_yearly_kg"] == pytest.approx(yearly, abs=0.05)
    total = yearly * sum((1 - d.PV_DEGRADATION_PER_YEAR) ** k for k in range(YEARS))
    assert co2["co2_saved_total_kg"] == pytest.approx(total, abs=0.05)
    # Per array in proportion to output: 2.4 of 4 kWp and 1.6 of 4 kWp.
    arrays = {a["name"]: a for a in hand_report["solar"]["new_systems"]}
    assert arrays["south"]["co2_saved_kg"] == pytest.approx(0.6 * yearly, abs=0.05)
    assert arrays["west"]["co2_saved_kg"] == pytest.approx(0.4 * yearly, abs=0.05)
    # Per array: its kWp x 400 EUR plus its kWp share of the 600 EUR fixed cost (they add up to 2200).
    assert arrays["south"]["investment"] == pytest.approx(2.4 * 400 + 0.6 * 600)
    assert arrays["west"]["investment"] == pytest.approx(1.6 * 400 + 0.4 * 600)
    eq = hand_report["sustainability"]["equivalents"]
    assert eq["trees_equivalent"] == pytest.approx(yearly / 22.0, abs=0.05)  # 22 kg per tree a year
    assert eq["car_km_avoided"] == pytest.approx(yearly / 0.183, abs=0.5)  # 0.183 kg per km
    assert eq["flights_avoided"] == pytest.approx(yearly / 125.0, abs=0.005)  # 125 kg per flight
    assert eq["projected_co2_savings"] == pytest.approx(total / 1000, abs=0.005)


def test_accuracy_rating_and_reasons(hand_report):
    # Measured hourly studio profile: 2 points; offline weather: 0 → "medium" (3 needed for "high").
    acc = hand_report["accuracy"]
    assert (acc["rating"], acc["score"], acc["max_score"]) == ("medium", 2, 3)
    assert [(f["factor"], f["level"]) for f in acc["factors"]] == [
        ("consumption", "measured"),
        ("weather", "offline"),
    ]


def test_nothing_bought_has_no_payback_period():
    # No panels allowed and no battery: the investment is 0, so a payback period does not apply. It is
    # null ("not applicable"), never 0.0 (which would read as "pays back at once").
    inputs = hand_inputs(
        new_pv=(NewPvArray("south", 0, 0, 400.0, 35.0, 180.0, cost_per_kwp=PV_COST_PER_KWP),),
        battery=None,
        goal="cost-savings",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine_api, "kwh_per_kwp", lambda weather, tilt, azimuth, losses: YIELD.copy())
        result = run_scan(inputs, weather_provider=HandWeather())
    report = build_report(
        inputs={"location": {"lat": 50.85, "lon": 4.35}, "input_method": "studio"}, result=result
    )
    assert report["financial"]["investment"]["total_investment"] == 0.0
    assert report["overview"]["kpi"]["return_period"] is None
    assert report["overview"]["kpi"]["yearly_savings"] == 0.0
    assert report["payback_range"]["base"] is None
    assert report["battery"] is None
    for scenario in report["scenarios"]:
        assert scenario["investment"] == 0.0 and scenario["return_period"] is None


def _with_standby(watts: float):
    battery = replace(hand_inputs().battery, standby_w=watts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine_api, "kwh_per_kwp", lambda weather, tilt, azimuth, losses: YIELD.copy())
        return run_scan(hand_inputs(battery=battery), weather_provider=HandWeather())


def test_battery_standby_draw():
    # The same case with a 20 W standby draw: 0.02 kWh every hour joins the load while the battery is
    # installed. Per day, by hand: load 12.5 + 0.48 = 12.98 kWh; direct 0.52+0.52+1.0+0.52 = 2.56 kWh;
    # surplus 0.48 at 10 and 11 h is stored (0.96); at 12 h the battery covers the 0.02 kWh PV misses;
    # at 13 h it takes 0.06 (full) and 0.42 is exported; it delivers 0.52 + 0.48 at 14-15 h. Battery out
    # 1.02 kWh; grid 12.98 - 2.56 - 1.02 = 9.40 kWh (10.0 without the battery).
    result = _with_standby(20.0)
    assert result.battery.standby_kwh_per_year == pytest.approx(175.2)  # 20 W x 8760 h
    assert result.grid_import_kwh == pytest.approx(9.40 * DAYS)
    assert result.grid_export_kwh == pytest.approx(0.42 * DAYS)
    assert result.series.battery_used_onsite.sum() == pytest.approx(1.02 * DAYS)
    # Household consumption stays 4562.5 kWh; the series carries the standby draw on top.
    assert result.yearly_usage_kwh == pytest.approx(HAND["load"])
    assert result.series.consumption.sum() == pytest.approx(HAND["load"] + 175.2)
    # The battery's own savings: PV-only bill 1432.625 - (3431.0 x 0.40 - 153.3 x 0.05) = 67.89 EUR
    # (127.75 EUR without the standby draw).
    assert result.battery.annual_savings_eur == pytest.approx(67.89)
    report = build_report(
        inputs={"location": {"lat": 50.85, "lon": 4.35}, "input_method": "studio"}, result=result
    )
    assert report["battery"]["performance"]["standby_kwh_per_year"] == pytest.approx(175.2)
    # Round trip including its own use: 372.3 kWh out / (372.3 in + 175.2 standby) = 68.0 % (100 % rated).
    assert result.battery.effective_roundtrip_efficiency_pct == pytest.approx(100 * 372.3 / (372.3 + 175.2))
    assert report["battery"]["performance"]["effective_roundtrip_efficiency"] == pytest.approx(68.0)
    assert report["assumptions"]["batteryStandbyW"] == 20.0


def test_a_battery_whose_own_draw_exceeds_what_it_shifts_is_not_advised():
    # 60 W = 1.44 kWh a day of own use: with the battery the grid would deliver 13.94 - 2.68 - 1.06 = 10.2
    # kWh a day against 10.0 without, so even the self-sufficiency goal does not take it.
    result = _with_standby(60.0)
    assert result.battery is None
    assert result.grid_import_kwh == pytest.approx(10.0 * DAYS)
