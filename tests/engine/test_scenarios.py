"""Scenarios (fixed vs dynamic x with/without battery), the payback range, and run_scan variants
(several arrays, battery only, net metering when the caller models 2026)."""

from dataclasses import replace

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine.api import run_scan
from apps.engine.finance import CostParams
from apps.engine.scenarios import alternative_tariff, build_case, contract_scenarios, payback_range
from apps.engine.sizing import Design, SizingProblem
from apps.engine.tariffs import levelise
from apps.engine.types import BatteryInput, NewPvArray, TariffInput
from devkit.engine.examples import seed_example_inputs
from tests.engine.checks import assert_conservation

SEED = seed_example_inputs()

H = 8760


def _problem(tariff: TariffInput) -> SizingProblem:
    rng = np.random.default_rng(5)
    h = np.arange(H) % 24
    load = 0.3 + 0.3 * rng.random(H)
    pv_yield = 0.7 * np.clip(np.sin((h - 5) / 15 * np.pi), 0, None) * np.repeat(rng.uniform(0.2, 1, 365), 24)
    return SizingProblem(
        load=load,
        existing_pv=np.zeros(H),
        new_pv_yield=pv_yield[None, :],
        panel_kwp=np.array([0.4]),
        min_panels=np.array([0.0]),
        max_panels=np.array([12.0]),
        pv_cost_per_kwp=np.array([1000.0]),
        battery=BatteryInput(capacity_kwh=10, power_rating_kw=5, cost_per_kwh=400),
        tariff=levelise(tariff, 2027, 25, 0.05, 0.02),
        cost=CostParams(),
    )


def test_alternative_contracts():
    flat = TariffInput(flat_eur_per_kwh=0.3, feed_in_eur_per_kwh=0.05, fixed_monthly_eur=7)
    dyn = alternative_tariff(flat, np.ones(H), 2027)
    assert dyn.type == "dynamic" and dyn.fixed_monthly_eur == 7
    back = alternative_tariff(dyn, np.ones(H), 2030)
    # The fixed column of a dynamic scan: the stated default fixed contract (defaults.py), other terms kept.
    assert back.type == "flat" and back.taxes_included and back.fixed_monthly_eur == 7
    assert back.flat_eur_per_kwh == d.DEFAULT_FIXED_PRICE_EUR_PER_KWH == 0.28
    assert back.feed_in_eur_per_kwh == d.DEFAULT_FIXED_FEED_IN_EUR_PER_KWH == 0.05


def test_four_scenarios_and_battery_effect():
    tariff = TariffInput(flat_eur_per_kwh=0.3, feed_in_eur_per_kwh=0.05)
    problem = _problem(tariff)
    design = Design((8,), 6.0, 5.0)
    scen = contract_scenarios(problem, Design((8,)), tariff, 2027, design)
    assert [(s.tariff_type, s.with_battery) for s in scen] == [
        ("flat", False),
        ("flat", True),
        ("dynamic", False),
        ("dynamic", True),
    ]
    # A battery lowers the yearly bill on either contract (it only ever saves imports).
    assert scen[1].yearly_cost_eur < scen[0].yearly_cost_eur
    assert scen[3].yearly_cost_eur < scen[2].yearly_cost_eur


def test_payback_range_is_ordered():
    tariff = TariffInput(flat_eur_per_kwh=0.3, feed_in_eur_per_kwh=0.05)
    problem = _problem(tariff)
    case = build_case(problem, Design((8,), 4.0, 5.0), tariff, 2027)
    pr = payback_range(case)
    # Optimistic (high escalation, slow fade) <= base <= pessimistic (no escalation, fast fade).
    assert pr.low is not None and pr.base is not None
    assert pr.low <= pr.base
    assert pr.high is None or pr.base <= pr.high
    assert pr.assumptions.low.price_escalation > pr.assumptions.high.price_escalation


def test_run_scan_two_roofs_and_net_metering_year():
    east_west = (
        NewPvArray("east", 0, 8, 400, 20, 90, cost_per_kwp=1100),
        NewPvArray("west", 2, 8, 400, 20, 270, cost_per_kwp=1100),
    )
    inputs = replace(SEED, new_pv=east_west, goal="cost-savings", first_operating_year=2026)
    r = run_scan(inputs)
    assert r.status == "optimal"
    assert len(r.new_pv) == 2 and r.new_pv[1].panel_count >= 2
    assert r.assumptions.net_metering_years == (2026,)  # the caller explicitly modelled 2026
    assert_conservation(r)


def test_run_scan_battery_only():
    r = run_scan(replace(SEED, new_pv=(), goal="cost-savings"))
    assert r.status == "optimal" and r.new_pv == ()
    assert_conservation(r)


def test_dynamic_scan_fixed_column_equals_a_real_fixed_scan():
    # The case: 10 new panels (fixed count), no battery. The fixed-contract column of a dynamic scan
    # must be the very figures of a fixed-contract scan of the same panels at the stated default prices.
    # Without the seed's existing panels: next to them the new ones mostly export at the default feed-in
    # cost (EUR 0.10/kWh) and never pay back, so the payback figure (null on both) would not be compared.
    panels = (NewPvArray("new_pv_1", 10, 10, 400, 35, 180, cost_per_kwp=1000, system_losses=14),)
    base = replace(SEED, new_pv=panels, existing_pv=(), battery=None, goal="cost-savings")
    dynamic = run_scan(replace(base, tariff=TariffInput(type="dynamic")))
    fixed = run_scan(replace(base, tariff=TariffInput(type="flat")))  # default 0.28 / 0.05, taxes included
    column = next(s for s in dynamic.scenarios if s.tariff_type == "flat" and not s.with_battery)
    assert column.yearly_savings_eur == pytest.approx(fixed.finance.year_one_savings, rel=1e-9)
    assert column.npv_eur == pytest.approx(fixed.finance.npv, rel=1e-9)
    assert fixed.finance.payback_years is not None
    assert column.payback_years == pytest.approx(fixed.finance.payback_years, rel=1e-9)
    a = dynamic.assumptions
    assert a.comparison_fixed_price_source == "default"
    assert (a.comparison_fixed_price_eur_per_kwh, a.comparison_fixed_feed_in_eur_per_kwh) == (0.28, 0.05)
    assert fixed.assumptions.comparison_fixed_price_source == "scan"
