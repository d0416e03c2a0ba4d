"""Tariffs: price resolution per calendar year, the built-in day-ahead year, and billing.

Expected numbers are worked by hand from the constants in ``apps/engine/defaults.py`` (named below)."""

from dataclasses import replace

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine.tariffs import (
    bill,
    energy_cost,
    levelise,
    monthly_peaks,
    net_metering_applies,
    reference_day_ahead,
    resolve_tariff,
    tariffs_by_year,
)
from apps.engine.types import TariffInput

H = 8760


def test_flat_taxes_included_is_taken_as_given():
    t = resolve_tariff(TariffInput(flat_eur_per_kwh=0.28, feed_in_eur_per_kwh=0.10), 2030)
    assert t.import_price[0] == 0.28 and t.export_price[0] == 0.10
    assert t.is_flat and not t.net_metering


def test_flat_taxes_excluded_adds_energy_tax_and_vat():
    # (0.10 + energy tax 2026) x (1 + 21 % VAT): NL_ENERGY_TAX_EUR_PER_KWH, NL_VAT.
    t = resolve_tariff(
        TariffInput(flat_eur_per_kwh=0.10, feed_in_eur_per_kwh=0.05, taxes_included=False), 2030
    )
    assert t.import_price[0] == pytest.approx((0.10 + d.NL_ENERGY_TAX_EUR_PER_KWH) * (1 + d.NL_VAT))
    assert t.bare_supply_price == pytest.approx(0.10)


def test_net_metering_follows_the_calendar():
    flat = TariffInput()
    # Wet afschaffing salderingsregeling: netting up to 2026, none from 1 Jan 2027.
    assert net_metering_applies(flat, 2026) and not net_metering_applies(flat, 2027)
    assert net_metering_applies(TariffInput(net_metering=True), 2035)
    assert not net_metering_applies(TariffInput(country="BE"), 2026)
    years = tariffs_by_year(flat, 2026, 3)
    assert [t.net_metering for t in years] == [True, False, False]
    # A 2026 scan starts in 2027 (the default first operating year): no netting at all.
    assert not any(t.net_metering for t in tariffs_by_year(flat, d.DEFAULT_FIRST_OPERATING_YEAR, 25))


def test_feed_in_floor_2027_2029():
    # Bare supply price of 0.28 incl. taxes = 0.28 / 1.21 - energy tax; floor = 50 % of that.
    tariff = TariffInput(flat_eur_per_kwh=0.28, feed_in_eur_per_kwh=0.01)
    bare = 0.28 / (1 + d.NL_VAT) - d.NL_ENERGY_TAX_EUR_PER_KWH
    assert resolve_tariff(tariff, 2027).export_price[0] == pytest.approx(0.5 * bare)
    assert resolve_tariff(tariff, 2029).export_price[0] == pytest.approx(0.5 * bare)
    assert resolve_tariff(tariff, 2030).export_price[0] == pytest.approx(0.01)
    # A contract paying more than the floor keeps its own price.
    assert resolve_tariff(TariffInput(feed_in_eur_per_kwh=0.2), 2027).export_price[0] == 0.2


def test_dynamic_composition():
    da = np.full(H, 0.10)
    da[5] = -0.05
    t = resolve_tariff(
        TariffInput(
            type="dynamic",
            day_ahead_eur_per_kwh=da,
            supplier_markup_eur_per_kwh=0.02,
            feed_in_fee_eur_per_kwh=0.01,
        ),
        2030,
    )
    assert t.import_price[0] == pytest.approx((0.10 + 0.02 + d.NL_ENERGY_TAX_EUR_PER_KWH) * 1.21)
    assert t.export_price[0] == pytest.approx(0.09)
    assert t.export_price[5] == pytest.approx(-0.06)
    with pytest.raises(ValueError):
        resolve_tariff(TariffInput(type="dynamic", day_ahead_eur_per_kwh=np.zeros(100)), 2030)


def test_built_in_day_ahead_years_are_the_measured_ones():
    # Published annual means and negative hours of the files (shared/data/SOURCES.md): NL 2023 95.82 EUR/MWh
    # (302 h < 0), NL 2025 86.81 (508 h); BE 2024 70.32 over 8,784 h, of which 29 Feb is left out here.
    p = reference_day_ahead()
    assert p.shape == (H,)
    assert p.mean() * 1000 == pytest.approx(86.81, abs=0.01)  # NL 2025 is the latest complete NL year
    assert (p < 0).sum() == 508
    nl23 = reference_day_ahead("NL", 2023)
    assert nl23.mean() * 1000 == pytest.approx(95.82, abs=0.01) and (nl23 < 0).sum() == 302
    assert reference_day_ahead("BE").shape == (H,)
    with pytest.raises(ValueError, match="no built-in day-ahead prices for BE 2025"):
        reference_day_ahead("BE", 2025)
    # A dynamic contract without supplied prices bills on its price year.
    t = resolve_tariff(TariffInput(type="dynamic", price_year=2023, supplier_markup_eur_per_kwh=0.0), 2030)
    assert t.bare_supply_price == pytest.approx(nl23.mean())


def test_bill_hand_example():
    # 1 kWh import every hour at 0.30, 0.5 kWh export in hour 0 at 0.10 minus 0.02 feed-in cost,
    # fixed 10 EUR/month: 8760 x 0.30 - 0.5 x 0.10 + 0.5 x 0.02 + 120.
    t = resolve_tariff(
        TariffInput(
            flat_eur_per_kwh=0.30,
            feed_in_eur_per_kwh=0.10,
            feed_in_cost_eur_per_kwh=0.02,
            fixed_monthly_eur=10,
        ),
        2030,
    )
    imp = np.ones(H)
    exp = np.zeros(H)
    exp[0] = 0.5
    b = bill(imp, exp, t)
    assert b.total == pytest.approx(8760 * 0.30 - 0.05 + 0.01 + 120)
    assert sum(b.monthly_energy) + sum(b.monthly_fixed) + sum(b.monthly_demand) == pytest.approx(b.total)
    assert b.monthly_energy[0] == pytest.approx(744 * 0.30 - 0.05 + 0.01)
    assert energy_cost(imp, exp, t) == pytest.approx(b.total - 120)


def test_net_metering_credit():
    # Netting: 1000 kWh imported, 600 exported → 600 kWh are worth the import price 0.30 (not 0.05); a contract
    # without feed-in costs.
    t = resolve_tariff(
        TariffInput(
            flat_eur_per_kwh=0.30, feed_in_eur_per_kwh=0.05, net_metering=True, feed_in_cost_eur_per_kwh=0.0
        ),
        2026,
    )
    imp = np.zeros(H)
    exp = np.zeros(H)
    imp[:1000] = 1.0
    exp[1000:1600] = 1.0
    assert bill(imp, exp, t).total == pytest.approx(1000 * 0.30 - 600 * 0.30)


def test_capacity_tariff_floor_and_average():
    # Hourly peaks: January 5 kW, every other month 1 kW. Billed as the quarter-hour peak = 1.1 x the hourly
    # peak (BE_QUARTER_HOUR_PEAK_FACTOR): 5.5 kW and 1.1 kW, the latter floored to 2.5 kW
    # (BE_CAPACITY_TARIFF_FLOOR_KW): mean = (5.5 + 11 x 2.5) / 12 = 2.75 kW, times 53.39 EUR/kW/yr (VNR 2026
    # Flemish average, the latest known rate, used for 2030) x 1.06 (BE VAT) = 155.63 EUR/yr.
    t = resolve_tariff(TariffInput(country="BE", capacity_tariff=True), 2030)
    imp = np.ones(H)
    imp[10] = 5.0
    peaks = monthly_peaks(imp)
    assert peaks[0] == 5.0 and peaks[1] == 1.0
    expected = 53.39 * 1.06 * (5.5 + 11 * 2.5) / 12
    assert expected == pytest.approx(155.63, abs=0.01)
    assert bill(imp, np.zeros(H), t).demand_cost == pytest.approx(expected)


def test_levelised_weights_sum_to_one_without_escalation():
    # CRF x sum_y 1/(1+r)^y = 1 (annuity identity) when prices do not escalate.
    lev = levelise(TariffInput(), 2027, 25, 0.05, 0.0)
    assert sum(w for w, _ in lev.terms) == pytest.approx(1.0)
    # 2027-2029 floor regime and 2030+ regime are distinct terms.
    assert len(lev.terms) == 2


def test_feed_in_floor_on_a_dynamic_contract_hour_by_hour():
    # Kamerstuk 36611 nr. D: at least 50 % of the agreed bare supply price on every contract type, 2027-2029.
    # Hand calculation with markup 0.02 and feed-in fee 0.015 EUR/kWh:
    #   day-ahead 0.10 → contract 0.085, floor 0.5 x (0.10 + 0.02) = 0.06: the contract's 0.085 stands;
    #   day-ahead 0.02 → contract 0.005, floor 0.5 x 0.04 = 0.02: the floor pays 0.02;
    #   day-ahead -0.06 → contract -0.075, floor 0.5 x (-0.04) = -0.02: -0.02 (half a negative price).
    da = np.full(H, 0.10)
    da[1], da[2] = 0.02, -0.06
    tariff = TariffInput(
        type="dynamic",
        day_ahead_eur_per_kwh=da,
        supplier_markup_eur_per_kwh=0.02,
        feed_in_fee_eur_per_kwh=0.015,
    )
    for year in (2027, 2029):
        t = resolve_tariff(tariff, year)
        assert t.export_price[:3] == pytest.approx([0.085, 0.02, -0.02])
    # 2030: the floor has ended, the contract's own prices.
    assert resolve_tariff(tariff, 2030).export_price[:3] == pytest.approx([0.085, 0.005, -0.075])
    # Belgium has no such floor.
    be = resolve_tariff(replace(tariff, country="BE"), 2027)
    assert be.export_price[1] == pytest.approx(0.005)


def test_energy_tax_of_each_year():
    # Belastingdienst tables: 2025 0.10154, 2026 0.09161 EUR/kWh excl. VAT; later years the last known rate.
    tariff = TariffInput(flat_eur_per_kwh=0.10, feed_in_eur_per_kwh=0.05, taxes_included=False)
    assert resolve_tariff(tariff, 2025).import_price[0] == pytest.approx((0.10 + 0.10154) * 1.21)
    assert resolve_tariff(tariff, 2026).import_price[0] == pytest.approx((0.10 + 0.09161) * 1.21)
    assert resolve_tariff(tariff, 2031).import_price[0] == pytest.approx((0.10 + 0.09161) * 1.21)
    years = tariffs_by_year(tariff, 2025, 3, H)
    assert [round(t.import_price[0], 6) for t in years] == [
        round((0.10 + 0.10154) * 1.21, 6),
        round((0.10 + 0.09161) * 1.21, 6),
        round((0.10 + 0.09161) * 1.21, 6),
    ]


def test_feed_in_cost_default_per_contract_type():
    # Fixed contracts: 0.10 EUR/kWh exported (Vattenfall 2025: EUR 330 for 3,300 kWh); dynamic: none beyond the
    # feed-in fee; a caller's value (also 0) is kept.
    assert resolve_tariff(TariffInput(), 2030).feed_in_cost == pytest.approx(0.10)
    assert resolve_tariff(TariffInput(type="dynamic"), 2030).feed_in_cost == 0.0
    assert resolve_tariff(TariffInput(feed_in_cost_eur_per_kwh=0.0), 2030).feed_in_cost == 0.0
    assert resolve_tariff(TariffInput(feed_in_cost_eur_per_kwh=0.03), 2030).feed_in_cost == pytest.approx(
        0.03
    )
