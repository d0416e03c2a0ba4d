"""Fixed installation costs (per new PV installation, per battery) and the battery C-rate: the investment
adds them exactly once, and the sizing still finds the brute-force optimum with them."""

from dataclasses import replace

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine.battery import deliverable_power_kw
from apps.engine.finance import CostParams, battery_investment, pv_investment
from apps.engine.sizing import Design, evaluate, size_system
from tests.engine.sizing_cases import BATTERY, FLAT, SCALE, make_problem


def test_investment_adds_each_fixed_cost_once():
    params = CostParams(pv_fixed_eur=1000.0, battery_fixed_eur=800.0)
    # 4 kWp at 850 EUR/kWp = 3400, plus 1000 fixed; no panels: nothing at all.
    assert pv_investment(3400.0, 4.0, params) == 4400.0
    assert pv_investment(0.0, 0.0, params) == 0.0
    # 5 kWh at 450 EUR/kWh = 2250, plus 800 fixed (power is free: BATTERY_COST_EUR_PER_KW = 0).
    assert battery_investment(5.0, 2.5, 450.0, params) == 2250.0 + 800.0 + 2.5 * d.BATTERY_COST_EUR_PER_KW
    assert battery_investment(0.0, 0.0, 450.0, params) == 0.0


def test_default_split_reproduces_published_all_in_prices():
    # Milieu Centraal 2025: ~1,100 EUR/kWp all-in at 4 kWp; installers: 500-800 EUR/kWh for 5-10 kWh.
    assert (4 * d.DEFAULT_PV_COST_EUR_PER_KWP + d.PV_INSTALLATION_FIXED_EUR) / 4 == pytest.approx(1100.0)
    for kwh in (5.0, 10.0):
        per_kwh = (kwh * d.DEFAULT_BATTERY_COST_EUR_PER_KWH + d.BATTERY_INSTALLATION_FIXED_EUR) / kwh
        assert 500.0 <= per_kwh <= 800.0


def _brute_force(problem, cap_step=0.1):
    """Every panel count 0..12 x no battery or every capacity step: the cheapest design."""
    designs = [Design((p,)) for p in range(13)]
    for p in range(13):
        for cap in np.arange(cap_step, BATTERY.capacity_kwh + 1e-9, cap_step):
            designs.append(Design((p,), round(float(cap), 3), BATTERY.power_rating_kw))
    return min((evaluate(problem, x) for x in designs), key=lambda e: e.annual_cost)


@pytest.mark.parametrize(
    "pv_fixed,battery_fixed,buys",
    # Investment costs on the test's 4-week horizon scale with SCALE, like the per-kWp/kWh costs. ``buys``
    # (new PV, battery) only documents that the cases cover each decision; brute force is the reference.
    [
        (0.0, 0.0, (True, True)),
        (1000.0, 1000.0, (True, True)),
        (1000.0, 4000.0, (True, False)),
        (20000.0, 0.0, (False, False)),
    ],
    ids=["none", "defaults", "costly-battery", "costly-pv"],
)
def test_sizing_with_fixed_costs_matches_brute_force(pv_fixed, battery_fixed, buys):
    problem = make_problem(FLAT, BATTERY)
    cost = replace(problem.cost, pv_fixed_eur=pv_fixed * SCALE, battery_fixed_eur=battery_fixed * SCALE)
    problem = replace(problem, cost=cost)
    out = size_system(problem)
    brute = _brute_force(problem)
    # Source: brute force over every design; bar 0.5 % (brief), never below the brute-force optimum.
    assert out.best.annual_cost <= brute.annual_cost * 1.005
    assert out.best.annual_cost >= brute.annual_cost * (1 - 1e-9) - 1e-9
    # The buy/do-not-buy decisions are the brute force's.
    chosen = (sum(out.best.design.panels) > 0, out.best.design.capacity_kwh > 0)
    assert chosen == (sum(brute.design.panels) > 0, brute.design.capacity_kwh > 0) == buys


def test_battery_power_follows_capacity():
    # BATTERY_MAX_C_RATE = 1 C (datasheets: 0.3-1 C): a 2.3 kWh battery has at most 2.3 kW, whatever the
    # inverter's rating; a rating below that is kept.
    assert d.BATTERY_MAX_C_RATE == 1.0
    assert deliverable_power_kw(5.0, 2.3) == pytest.approx(2.3)
    assert deliverable_power_kw(2.2, 5.0) == pytest.approx(2.2)


def test_report_never_shows_more_power_than_the_capacity_gives():
    from apps.engine import api as engine_api
    from apps.engine.types import BatteryInput
    from tests.engine.hand_case import YIELD, HandWeather, hand_inputs

    battery = BatteryInput(capacity_kwh=2.0, power_rating_kw=5.0, min_capacity_kwh=2.0, cost_per_kwh=300.0)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine_api, "kwh_per_kwp", lambda weather, tilt, azimuth, losses: YIELD.copy())
        result = engine_api.run_scan(hand_inputs(battery=battery), weather_provider=HandWeather())
    assert result.battery.capacity_kwh == pytest.approx(2.0)
    assert result.battery.power_kw == pytest.approx(2.0)  # 1 C x 2 kWh, not the 5 kW rating
    # A minimum power of 3 kW needs at least 3 kWh at 1 C: smaller capacities are not offered.
    ranged = BatteryInput(
        capacity_kwh=10.0, power_rating_kw=5.0, min_capacity_kwh=1.0, min_power_rating_kw=3.0
    )
    assert engine_api._buyable_battery(ranged).min_capacity_kwh == pytest.approx(3.0)
