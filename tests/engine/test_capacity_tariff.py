"""The Flemish capacity tariff as the grid operator bills it: rates per year, the quarter-hour peak (from
hourly import via the peak factor, or from quarter hours directly), a dispatch without foresight of the
monthly peak, and a report whose capacity cost is the one its own hourly import series bills."""

from dataclasses import replace

import numpy as np
import pytest

from apps.engine import capacity
from apps.engine import defaults as d
from apps.engine.api import run_scan
from apps.engine.finance import CostParams
from apps.engine.scenarios import dispatch_for
from apps.engine.sizing import Design, SizingProblem, design_flows
from apps.engine.tariffs import billed_peaks, demand_cost, levelise, resolve_tariff
from apps.engine.types import BatteryInput, TariffInput
from devkit.engine.examples import home_buying_panels_inputs

BE = TariffInput(country="BE", capacity_tariff=True, flat_eur_per_kwh=0.35, feed_in_eur_per_kwh=0.03)
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def test_rates_per_year_follow_the_table():
    # Fluvius FAQ: 40.4 EUR/kW/yr in 2023; VNR: 53.39 in 2026. A year uses the latest known rate at or
    # before it (2024-2025: 2023's; 2027 on: 2026's, escalated by the finance), before 2023 the first.
    assert capacity.default_rate(2022) == 40.4
    assert capacity.default_rate(2025) == 40.4
    assert capacity.default_rate(2026) == 53.39
    assert capacity.default_rate(2031) == 53.39
    assert d.BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR == 53.39
    # incl. 6 % VAT on the resolved contract; an explicit rate wins.
    assert resolve_tariff(BE, 2027).demand_rate == pytest.approx(53.39 * 1.06)
    own = replace(BE, capacity_tariff_eur_per_kw_year=49.05)  # Fluvius Limburg 2026
    assert resolve_tariff(own, 2027).demand_rate == pytest.approx(49.05 * 1.06)


def test_quarter_hour_factor_is_applied_to_the_hourly_peak():
    # One year of 1 kWh/h with 3 kWh in one hour of March. Hourly peaks: March 3 kW, the rest 1 kW.
    # Billed: 1.1 x 3 = 3.3 kW in March, 1.1 kW -> floor 2.5 kW elsewhere: mean (3.3 + 11 x 2.5)/12
    # = 2.5667 kW; x 53.39 x 1.06 = 145.26 EUR/yr. With the factor overridden to 1.0: (3 + 27.5)/12
    # = 2.5417 kW -> 143.84 EUR/yr.
    imp = np.ones(8760)
    imp[24 * (31 + 28) + 19] = 3.0
    t = resolve_tariff(BE, 2027)
    assert billed_peaks(imp, t)[2] == pytest.approx(3.3)
    assert demand_cost(imp, t) == pytest.approx(53.39 * 1.06 * (3.3 + 11 * 2.5) / 12)
    assert demand_cost(imp, t) == pytest.approx(145.26, abs=0.01)
    plain = resolve_tariff(replace(BE, capacity_peak_factor=1.0), 2027)
    assert demand_cost(imp, plain) == pytest.approx(143.84, abs=0.01)
    with pytest.raises(ValueError, match="capacity_peak_factor"):
        resolve_tariff(replace(BE, capacity_peak_factor=0.9), 2027)


def test_levelised_terms_bill_the_same_as_the_yearly_bill():
    # The sizing works on hourly import with rate x f and floor / f: r max(f p, F) = f r max(p, F / f).
    imp = np.full(8760, 0.4)
    imp[100] = 4.0
    lev = levelise(BE, 2027, 1, 0.0, 0.0)
    assert lev.demand_rate == pytest.approx(53.39 * 1.06 * 1.1)
    assert lev.demand_floor_kw == pytest.approx(2.5 / 1.1)
    assert lev.energy_cost(imp, np.zeros(8760)) == pytest.approx(
        float(imp @ lev.import_weights) + demand_cost(imp, resolve_tariff(BE, 2027))
    )


def test_billed_peaks_from_quarter_hours_by_hand():
    # January quarters 0.3, 0.9, 0.2, 0.1 kWh: the hour holds 1.5 kWh (1.5 kW mean), its second quarter
    # 0.9 kWh = 3.6 kW: billed 3.6 kW, not 1.5. February 0.5 kWh = 2.0 kW -> floor 2.5. A NaN (missing)
    # quarter of 2 kWh is never billed; months without quarters bill the floor.
    q = np.array([0.3, 0.9, 0.2, 0.1, 0.5, np.nan])
    month = np.array([0, 0, 0, 0, 1, 1])
    peaks = capacity.billed_peaks_from_quarter_hours(q, month)
    assert peaks[0] == pytest.approx(3.6)
    assert np.all(peaks[1:] == 2.5)
    assert capacity.billed_peaks_from_quarter_hours(q, month, floor_kw=0.0)[1] == pytest.approx(2.0)
    assert capacity.capacity_cost(peaks, 53.39) == pytest.approx(53.39 * (3.6 + 11 * 2.5) / 12)


def _spike_problem() -> SizingProblem:
    """January, every day: PV surplus 2.5 kWh at 10h and 11h (fills a 5 kWh battery), 1 kWh deficit each
    hour 13-18h, a 5 kWh spike at 19h, 0.5 kWh at night; no new panels."""
    hours = 24 * 31
    h = np.arange(hours) % 24
    deficit = np.where((h >= 13) & (h <= 18), 1.0, np.where(h == 19, 5.0, np.where(h == 12, 0.0, 0.5)))
    surplus = np.where((h == 10) | (h == 11), 2.5, 0.0)
    deficit = np.where(surplus > 0, 0.0, deficit)
    load = 1.0 + deficit
    pv = 1.0 + surplus
    battery = BatteryInput(
        capacity_kwh=5.0,
        power_rating_kw=5.0,
        min_capacity_kwh=5.0,
        min_power_rating_kw=5.0,
        minimum_charge_level=0,
        roundtrip_efficiency=100,
        standby_w=0.0,
    )
    return SizingProblem(
        load=load,
        existing_pv=pv,
        new_pv_yield=np.zeros((1, hours)),
        panel_kwp=np.array([0.4]),
        min_panels=np.array([0.0]),
        max_panels=np.array([0.0]),
        pv_cost_per_kwp=np.array([1000.0]),
        battery=battery,
        tariff=levelise(BE, 2027, 1, 0.0, 0.0, hours=hours),
        cost=CostParams(years=1),
    )


def test_no_foresight_battery_runs_empty_before_the_evening_spike():
    # Hand calculation (round trip 100 %): the 5 kWh the sun stores at 10-11h are used by the 1 kWh deficits
    # of 13-17h; at 18h the house imports 1 kW and at 19h the full 5 kW spike: January's hourly peak is
    # 5 kW, billed 1.1 x 5 = 5.5 kW. A dispatch that knew the spike (the old full-year LP with a peak
    # variable per month) keeps the 5 kWh for 19h and imports 1 kW at 13-18h: peak 1.1 kW, billed at the
    # 2.5 kW floor. The product's controller cannot know it and bills 5.5 kW.
    problem = _spike_problem()
    assert dispatch_for(problem) == "greedy"
    flows = design_flows(problem, Design((0,), 5.0, 5.0), dispatch_for(problem))
    day = flows.grid_import[:24]
    assert day[13:18] == pytest.approx([0, 0, 0, 0, 0])
    assert day[18] == pytest.approx(1.0) and day[19] == pytest.approx(5.0)
    t = resolve_tariff(BE, 2027, hours=24 * 31)
    assert billed_peaks(flows.grid_import, t)[0] == pytest.approx(5.5)
    assert demand_cost(flows.grid_import, t) == pytest.approx(53.39 * 1.06 * (5.5 + 11 * 2.5) / 12)


@pytest.fixture(scope="module")
def be_scan():
    home = replace(home_buying_panels_inputs(), tariff=BE)
    return home, run_scan(home)


def _billed_by_hand(hourly_import: np.ndarray) -> float:
    """Capacity cost recomputed without the engine's billing code: monthly max of the hourly import,
    x 1.1, floored at 2.5 kW, mean of 12, x 53.39 EUR/kW/yr x 1.06 VAT (the 2027 contract)."""
    edges = np.cumsum((0,) + MONTH_DAYS) * 24
    peaks = np.array([hourly_import[a:b].max() for a, b in zip(edges[:-1], edges[1:], strict=True)])
    return float(53.39 * 1.06 * np.maximum(1.1 * peaks, 2.5).mean())


def test_report_capacity_cost_is_billed_from_its_own_hourly_import(be_scan):
    _, result = be_scan
    s = result.series
    assert result.bill.demand_cost == pytest.approx(_billed_by_hand(s.grid_used_onsite + s.grid_stored))
    assert result.bill_bau.demand_cost == pytest.approx(_billed_by_hand(s.baseline_grid_consumption))


def test_battery_no_longer_holds_every_month_at_the_floor(be_scan):
    # The old dispatch credited rate x (BAU mean billed peak - 2.5 kW): every month at the floor. Without
    # foresight the credit is smaller (the figures before/after are in the issue-12 report).
    _, result = be_scan
    assert result.battery is not None
    credit = result.bill_bau.demand_cost - result.bill.demand_cost
    all_at_floor = result.bill_bau.demand_cost - 53.39 * 1.06 * 2.5
    assert 0 <= credit < all_at_floor
