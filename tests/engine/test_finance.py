"""Finance: a two-year case worked by hand (every expected number is written out below)."""

from dataclasses import replace

import pytest

from apps.engine.finance import (
    CostParams,
    battery_soh,
    evaluate_finance,
    ownership_cost_npv,
    payback_period,
    replacement_residual_fraction,
    replacement_years,
)
from apps.engine.tariffs import capital_recovery_factor

# Hand case: PV 300 EUR (1 kW, O&M 10 EUR/kW/yr), battery 100 EUR (O&M 2 % = 2 EUR/yr, fade 10 %/yr,
# life 10 yr: no replacement within 2 years), discount 10 %, escalation 5 %, O&M escalation 0,
# PV degradation 1 %/yr. Year-one bills: BAU 500, PV only 300, with battery 250; feed-in revenue 50.
#
# Year 1: savings = 1.00 x (200 x 1.00 + 50 x 1.0) = 250;     O&M 12; cashflow 238
# Year 2: savings = 1.05 x (200 x 0.99 + 50 x 0.9) = 255.15;  O&M 12; cashflow 243.15
# Cashflows [-400, 238, 243.15] → cumulative [-400, -162, 81.15] → payback 1 + 162 / 243.15
# NPV = -400 + 238 / 1.1 + 243.15 / 1.21; cumulative and discounted cumulative turn positive in year 2
# Average annual return = 100 x (238 + 243.15 - 400) / 2 / 400 = 10.14375 %
# Bills: year 1 = 500 - 250 = 250; year 2 = 525 - 255.15 = 269.85; revenue 50 and 1.05 x 50 x 0.99
# Lifecycle bill (before feed-in revenue) = (250 + 50) / 1.1 + (269.85 + 51.975) / 1.21
# Battery state of health at the end: installed at the start of year 1, 2 years old → 1 - 2 x 0.1 = 0.8
PARAMS = CostParams(
    years=2,
    discount_rate=0.10,
    price_escalation=0.05,
    om_escalation=0.0,
    pv_degradation=0.01,
    pv_om_eur_per_kw_year=10.0,
    battery_om_fraction=0.02,
    battery_life_years=10,
    battery_fade_per_year=0.1,
)


def _hand_case():
    return evaluate_finance(
        pv_capex=300.0,
        battery_capex=100.0,
        new_pv_kw=1.0,
        bau_bills=[500.0, 500.0],
        pv_only_bills=[300.0, 300.0],
        design_bills=[250.0, 250.0],
        design_feed_in_revenue=[50.0, 50.0],
        params=PARAMS,
    )


def test_two_year_hand_case_cashflows():
    f = _hand_case()
    assert f.yearly_cashflows == pytest.approx((-400.0, 238.0, 243.15), abs=1e-9)
    assert f.cumulative_cashflows == pytest.approx((-400.0, -162.0, 81.15), abs=1e-9)
    assert f.npv == pytest.approx(-400 + 238 / 1.1 + 243.15 / 1.21, abs=1e-9)
    assert f.payback_years == pytest.approx(1 + 162 / 243.15, abs=1e-12)
    assert f.break_even_year == 2  # cumulative -162 after year 1, +81.15 after year 2
    assert f.discounted_break_even_year == 2  # -183.64 after year 1, +17.31 after year 2
    assert f.avg_annual_return_pct == pytest.approx(10.14375, abs=1e-9)
    assert f.yearly_bills == pytest.approx((250.0, 269.85), abs=1e-9)
    assert f.baseline_yearly_bills == pytest.approx((500.0, 525.0), abs=1e-9)
    assert f.yearly_feed_in_revenue == pytest.approx((50.0, 1.05 * 50 * 0.99), abs=1e-9)
    assert f.year_one_savings == pytest.approx(250.0, abs=1e-9)
    assert f.year_one_maintenance == pytest.approx(12.0, abs=1e-9)
    assert f.battery_state_of_health_end == pytest.approx(0.8, abs=1e-12)
    assert f.battery_replacement_years == ()


def test_two_year_hand_case_lifecycle_identity():
    f = _hand_case()
    assert f.lifecycle_energy_bill == pytest.approx(300 / 1.1 + 321.825 / 1.21, abs=1e-9)
    assert f.lifecycle_feed_in_revenue == pytest.approx(50 / 1.1 + 51.975 / 1.21, abs=1e-9)
    assert f.pv_om_npv == pytest.approx(10 / 1.1 + 10 / 1.21, abs=1e-9)
    assert f.battery_om_npv == pytest.approx(2 / 1.1 + 2 / 1.21, abs=1e-9)
    assert f.baseline_lifecycle_cost == pytest.approx(500 / 1.1 + 525 / 1.21, abs=1e-9)
    # Identity: NPV = baseline lifecycle cost - design lifecycle cost.
    assert f.baseline_lifecycle_cost - f.lifecycle_total_cost == pytest.approx(f.npv, abs=1e-9)


def test_replacement_and_state_of_health():
    # Life 10 years over 25: replaced at the start of years 11 and 21 (hand count).
    assert replacement_years(10, 25) == (11, 21)
    params = CostParams(years=25, battery_life_years=10, battery_fade_per_year=0.02)
    assert battery_soh(1, params) == 1.0
    assert battery_soh(10, params) == pytest.approx(1 - 9 * 0.02)
    assert battery_soh(11, params) == 1.0  # new battery


def test_payback_interpolation_and_never():
    assert payback_period([-100.0, 40.0, 40.0, 40.0]) == pytest.approx(2.5)
    assert payback_period([-100.0, 10.0, 10.0]) is None
    # Nothing bought: no payback period (null, shown as 'not applicable'), never 0.
    assert payback_period([0.0, 10.0]) is None


def test_ownership_npv_and_crf():
    # CRF(5 %, 25 y) = 0.05 x 1.05^25 / (1.05^25 - 1) = 0.0709525 (standard annuity table value).
    assert capital_recovery_factor(0.05, 25) == pytest.approx(0.0709525, abs=1e-7)
    assert capital_recovery_factor(0.0, 20) == pytest.approx(0.05)
    params = CostParams(years=2, discount_rate=0.1, battery_life_years=1, battery_replacement_fraction=1.0)
    # Battery 100 EUR, life 1 year → replaced at the start of year 2: 100 / 1.1^2.
    own = ownership_cost_npv(0.0, 100.0, 0.0, params)
    assert own["replacement"] == pytest.approx(100 / 1.21)
    assert own["total"] == pytest.approx(100 + 100 / 1.21)


def test_two_year_replacement_hand_case():
    # Same hand case with a battery life of 1 year: replaced at the start of year 2 for 100 EUR
    # (replacement fraction 1.0), and new again, so its state of health in year 2 is 1.0 (not 0.9):
    # year 2 savings = 1.05 x (200 x 0.99 + 50 x 1.0) = 260.4; cashflow = 260.4 - 12 - 100 = 148.4.
    f = evaluate_finance(
        pv_capex=300.0,
        battery_capex=100.0,
        new_pv_kw=1.0,
        bau_bills=[500.0, 500.0],
        pv_only_bills=[300.0, 300.0],
        design_bills=[250.0, 250.0],
        design_feed_in_revenue=[50.0, 50.0],
        params=replace(PARAMS, battery_life_years=1),
    )
    assert f.yearly_cashflows == pytest.approx((-400.0, 238.0, 148.4), abs=1e-9)
    assert f.battery_replacement_years == (2,)
    assert f.replacement_cost_npv == pytest.approx(100 / 1.21, abs=1e-9)
    assert f.battery_state_of_health_end == pytest.approx(0.9, abs=1e-12)  # 1 year old at the end
    assert f.payback_years is None  # -400 + 238 + 148.4 = -13.6 < 0


def test_late_replacement_gets_a_straight_line_residual_value():
    # Life 15 over 20 years: replaced at the start of year 16 for 100 % of 1,000 EUR; it serves years
    # 16..30, so at the end of year 20 10 of its 15 years are unused: residual = 1,000 x 10/15 = 666.67 EUR,
    # credited in year 20 (hand calculation). Without bills the year-20 cashflow is just that credit.
    params = CostParams(years=20, discount_rate=0.0, battery_life_years=15, battery_replacement_fraction=1.0)
    assert replacement_residual_fraction(params) == pytest.approx(10 / 15)
    zeros = [0.0] * 20
    f = evaluate_finance(
        pv_capex=0.0,
        battery_capex=1000.0,
        new_pv_kw=0.0,
        bau_bills=zeros,
        pv_only_bills=zeros,
        design_bills=zeros,
        design_feed_in_revenue=zeros,
        params=params,
    )
    assert f.yearly_cashflows[16] == pytest.approx(-1000.0)
    assert f.yearly_cashflows[20] == pytest.approx(1000.0 * 10 / 15)
    assert ownership_cost_npv(0.0, 1000.0, 0.0, params)["replacement"] == pytest.approx(
        1000.0 - 1000.0 * 10 / 15
    )
    # A replacement used up within the period gets nothing: life 10 over 20 → replaced in year 11, ends year 20.
    assert replacement_residual_fraction(replace(params, battery_life_years=10)) == 0.0
