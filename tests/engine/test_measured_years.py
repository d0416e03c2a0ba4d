"""The built-in measured years: price files against their published figures, the pairing of weather and
price years, and the chosen design re-evaluated on every measured year."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from apps.engine import defaults as d
from apps.engine import reference_data as r
from apps.engine.api import run_scan, scan_price_year, scan_weather_year
from apps.engine.types import TariffInput
from devkit.engine.examples import seed_example_inputs

# Published figures of each file (shared/data/SOURCES.md): hours in the local calendar year, annual mean
# [EUR/MWh], hours below zero.
PUBLISHED = {
    ("NL", 2023): (8760, 95.82, 302),
    ("NL", 2024): (8784, 77.15, 465),
    ("NL", 2025): (8760, 86.81, 508),
    ("BE", 2023): (8760, 97.27, 222),
    ("BE", 2024): (8784, 70.32, 404),
}


@pytest.mark.parametrize(("country", "year"), sorted(PUBLISHED))
def test_price_file_is_a_complete_year_with_its_published_mean_and_negative_hours(country, year):
    hours, mean, negative = PUBLISHED[(country, year)]
    series = r.day_ahead_hourly(country, year)
    # Complete: every hour of the local calendar year (00:00 UTC+1 on 1 Jan = 23:00 UTC the day before),
    # consecutive and unique.
    expected = pd.date_range(f"{year - 1}-12-31 23:00", periods=hours, freq="h", tz="UTC")
    assert series.index.equals(expected)
    assert np.isfinite(series.to_numpy()).all()
    assert series.mean() == pytest.approx(mean, abs=0.01)
    assert int((series < 0).sum()) == negative
    # Units: EUR/MWh in the file, EUR/kWh on the time base (29 Feb left out of leap years).
    on_base = r.day_ahead_year(country, year)
    assert on_base.shape == (8760,)
    assert on_base[0] == pytest.approx(series.iloc[0] / 1000.0)


def test_latest_complete_year_is_the_default_and_weather_pairs_with_prices():
    assert r.latest_price_year("NL") == 2025 and r.latest_price_year("BE") == 2024
    assert scan_price_year(TariffInput(type="dynamic")) == 2025
    assert scan_price_year(TariffInput(type="dynamic", country="BE")) == 2024
    assert scan_price_year(TariffInput(type="dynamic", price_year=2023)) == 2023
    assert scan_price_year(TariffInput(type="dynamic", day_ahead_eur_per_kwh=np.zeros(8760))) is None
    assert scan_price_year(TariffInput()) is None
    # Same calendar year where both were measured (2023, 2024); else the default weather year.
    assert scan_weather_year(2024) == 2024 and scan_weather_year(2023) == 2023
    assert scan_weather_year(2025) == d.DEFAULT_WEATHER_YEAR and scan_weather_year(None) == 2023


def test_the_configured_offline_provider_pairs_weather_with_the_price_year():
    # The Django side passes get_provider("offline"); a BE dynamic scan bills on 2024 (BE's latest) and
    # must then see 2024's weather; a provider given an explicit year keeps it.
    from apps.engine.weather import OfflineWeather, get_provider

    seed = seed_example_inputs()
    be = replace(seed, battery=None, tariff=TariffInput(type="dynamic", country="BE"))
    result = run_scan(be, weather_provider=get_provider("offline"))
    assert (result.price_year, result.weather_year) == (2024, 2024)
    assert run_scan(be, weather_provider=OfflineWeather(2022)).weather_year == 2022


@pytest.fixture(scope="module")
def dynamic_result():
    seed = seed_example_inputs()
    return run_scan(replace(seed, goal="cost-savings", tariff=TariffInput(type="dynamic", price_year=2024)))


def test_year_one_mean_import_price_by_hand(dynamic_result):
    # (mean day-ahead + markup + energy tax) x (1 + VAT) with the NL 2024 file's mean on the time base:
    # 77.19 EUR/MWh (77.15 over all 8,784 h; 29 Feb left out), markup 0.02, the energy tax of year one (2027:
    # not yet published, so the 2026 rate 0.09161), VAT 21 %: (0.07719 + 0.02 + 0.09161) x 1.21 = 0.22845 EUR/kWh.
    assert (
        d.NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR[2026] == 0.09161 and d.DYNAMIC_SUPPLIER_MARKUP_EUR_PER_KWH == 0.02
    )
    assert 2027 not in d.NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR
    a = dynamic_result.assumptions
    assert a.import_price_year_one_mean_eur_per_kwh == pytest.approx(0.22845, abs=5e-5)
    assert a.day_ahead_price_year == 2024 and a.weather_year == 2024
    assert "EPEX" in a.day_ahead_source and "KNMI De Bilt" in a.weather_source


def test_design_is_re_evaluated_on_every_weather_year(dynamic_result):
    result = dynamic_result
    years = {y.weather_year: y for y in result.weather_year_figures}
    assert sorted(years) == [2021, 2022, 2023, 2024]
    # The scan's own year (2024) is the main result: same flows, same bills.
    own = years[2024]
    assert own.pv_output_kwh == pytest.approx(result.total_pv_output_kwh)
    assert own.yearly_savings_eur == pytest.approx(result.finance.year_one_savings)
    assert own.self_sufficiency == pytest.approx(result.self_sufficiency)
    # The same panels make more in a sunnier year: KNMI irradiation 2022 (1,195) > 2023 (1,096) > 2024
    # (1,040) ≈ 2021 (1,032 kWh/m2; too close to order on tilted roofs).
    pv = {y: years[y].pv_output_kwh for y in years}
    assert pv[2022] > pv[2023] > max(pv[2021], pv[2024])
    assert years[2022].self_sufficiency > years[2021].self_sufficiency


def test_battery_value_on_every_price_year(dynamic_result):
    values = {b.price_year: b for b in dynamic_result.battery_value_by_price_year}
    assert sorted(values) == [2023, 2024, 2025]
    assert values[2023].weather_year == 2023 and values[2024].weather_year == 2024
    assert values[2025].weather_year == d.DEFAULT_WEATHER_YEAR  # no 2025 weather in the data
    for b in values.values():
        assert b.battery_value_eur == pytest.approx(b.savings_with_battery_eur - b.savings_pv_only_eur)
    # The scan's own price year with the battery is the main result's savings.
    if dynamic_result.battery is not None:
        assert values[2024].savings_with_battery_eur == pytest.approx(dynamic_result.finance.year_one_savings)


def test_battery_value_on_the_scans_own_price_year_is_the_main_result():
    # A battery cheap enough to be chosen (150 EUR/kWh, no fixed installation cost; at the benchmark's
    # 250 EUR/kWh with the EUR 1,000 installation and its 30 W standby draw nothing is bought and the
    # case would not be exercised): on the scan's own price and weather year the battery case is the
    # main result itself (conservation of one case).
    seed = seed_example_inputs()
    cheap = replace(
        seed.battery,
        cost_per_kwh=150,
        fixed_cost_eur=0.0,
        min_capacity_kwh=2,
        min_power_rating_kw=2,
        power_rating_kw=5,
    )
    result = run_scan(
        replace(seed, goal="cost-savings", battery=cheap, tariff=TariffInput(type="dynamic", price_year=2023))
    )
    assert result.battery is not None and result.battery.capacity_kwh > 0
    values = {b.price_year: b for b in result.battery_value_by_price_year}
    assert values[2023].weather_year == 2023
    assert values[2023].savings_with_battery_eur == pytest.approx(result.finance.year_one_savings)
    assert values[2023].battery_value_eur == pytest.approx(result.battery.annual_savings_eur)
