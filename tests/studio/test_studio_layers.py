"""Layer simulations, templates and the combination rule (pure: no database)."""

import numpy as np
import pytest

from apps.engine.timebase import HOURS, hour_of_day, month_index, monthly_sum, weekday
from apps.engine.weather import get_provider
from apps.studio.layers import LAYER_PRESETS, preset_config, simulate_layer
from apps.studio.layers.common import ALL_YEAR, months_only, pack, unpack
from apps.studio.layers.ev import EvConfig, simulate_ev
from apps.studio.layers.heatpump import T_BASE_C, T_DESIGN_C, heating_degree_hours, simulate_heat_pump
from apps.studio.layers.pool import simulate_pool
from apps.studio.services import combine
from apps.studio.templates_catalog import TEMPLATES, template_profile

WEEKDAYS = [[day < 5] * 12 for day in range(7)]
# 1 January 2025 (the engine's reference year) is a Wednesday: 261 Monday–Friday days in 2025.
WEEKDAYS_2025 = 261


@pytest.fixture(scope="module")
def weather():
    return get_provider().get(52.09, 5.12)


# --- EV -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "schedule", "max_kw", "driven"),
    [
        (EvConfig(), ALL_YEAR, 7, 12 * 365),
        (EvConfig(daily_consumption_kwh=30, charger_power_kw=3.7), WEEKDAYS, 0, 30 * WEEKDAYS_2025),
        (
            EvConfig(count=2, daily_consumption_kwh=8, arrival_hour=9, departure_hour=17),
            ALL_YEAR,
            11,
            2 * 8 * 365,
        ),
        (
            EvConfig(
                battery_kwh=40,
                daily_consumption_kwh=35,
                arrival_hour=23,
                departure_hour=1,
                charger_power_kw=11,
            ),
            ALL_YEAR,
            0,
            None,
        ),
    ],
)
def test_ev_energy_conservation_and_power_cap(config, schedule, max_kw, driven):
    result = simulate_ev(config=config, schedule=schedule, max_kw=max_kw)
    # conservation law: over the (cyclic) year the energy charged equals the energy driven
    assert result.data.sum() == pytest.approx(result.delivered_kwh, rel=1e-9)
    assert result.delivered_kwh == pytest.approx(result.driven_kwh, abs=1e-6)
    if driven is not None:
        assert result.driven_kwh == pytest.approx(driven) and result.unmet_kwh == 0
    else:  # 2 h × 11 kW = 22 kWh a night cannot cover 35 kWh a day: demand is capped, never the power
        assert result.unmet_kwh > 0 and result.driven_kwh == pytest.approx(22 * 365, rel=1e-6)
    limit = config.charger_power_kw * config.count
    if max_kw:
        limit = min(limit, max_kw)
    assert result.data.max() <= limit + 1e-9
    assert result.data.min() >= 0


def test_ev_charges_only_while_plugged_in():
    config = EvConfig(arrival_hour=18, departure_hour=7, charger_power_kw=3.7, daily_consumption_kwh=20)
    data = simulate_ev(config=config, schedule=ALL_YEAR).data
    hours = hour_of_day()
    plugged = (hours >= 18) | (hours < 7)
    assert data[~plugged].sum() == 0
    # 20 kWh at 3.7 kW: five full hours and 1.5 kWh in the sixth, starting at arrival
    day = data[24 * 100 : 24 * 101]
    assert day[18:23].tolist() == pytest.approx([3.7] * 5) and day[23] == pytest.approx(1.5)


def test_ev_two_cars_double_one_car():
    one = simulate_ev(config=EvConfig(count=1), schedule=ALL_YEAR).data
    two = simulate_ev(config=EvConfig(count=2), schedule=ALL_YEAR).data
    assert np.allclose(two, 2 * one)


# --- Heat pump, pool, custom --------------------------------------------------------------------------------


def test_heat_pump_follows_cold(weather):
    data = simulate_heat_pump(temp_air=weather.temp_air, hourly_kw=[2.0] * 24, schedule=ALL_YEAR)
    months = monthly_sum(data)
    assert months[0] > 3 * months[6]  # January (mean ~3.5 °C) ≫ July (mean ~18 °C, KNMI De Bilt normals)
    assert months[11] > months[4] > months[6]
    degree_hours = heating_degree_hours(weather.temp_air)
    assert np.corrcoef(data, degree_hours)[0, 1] > 0.99  # flat pattern: proportional to degree hours
    cold = weather.temp_air < 0
    mild = (weather.temp_air > 10) & (weather.temp_air < T_BASE_C)
    assert data[cold].mean() > 2 * data[mild].mean()
    # at the design temperature the draw equals hourly_kw (definition in heatpump.py)
    assert simulate_heat_pump(
        temp_air=np.full(HOURS, T_DESIGN_C), hourly_kw=[2.0] * 24, schedule=ALL_YEAR
    ).max() == pytest.approx(2.0)
    assert data[weather.temp_air >= T_BASE_C].sum() == 0


def test_heat_pump_preset_is_plausible(weather):
    data, _ = simulate_layer("heat_pump", preset_config("warmtepomp"), lambda: weather)
    # an all-electric Dutch home's heat pump: a few thousand kWh a year (Milieu Centraal order of magnitude)
    assert 2000 < data.sum() < 6000
    assert data.max() <= LAYER_PRESETS["warmtepomp"]["max_kw"]


def test_heat_pump_schedule_switches_off(weather):
    summer_off = [[m not in (5, 6, 7) for m in range(12)] for _ in range(7)]
    data = simulate_heat_pump(temp_air=weather.temp_air, hourly_kw=[2.0] * 24, schedule=summer_off)
    assert data[np.isin(month_index(), [5, 6, 7])].sum() == 0


def test_pool_is_seasonal(weather):
    data = simulate_pool(
        temp_air=weather.temp_air,
        hourly_kw=[0] * 8 + [1.5] * 10 + [0] * 6,
        schedule=months_only([4, 5, 6, 7, 8]),
    )
    months = monthly_sum(data)
    assert months[[0, 1, 2, 3, 9, 10, 11]].sum() == 0 and months[4:9].min() > 0
    assert months[4] > months[6]  # a cooler May needs more heating than July
    assert data.max() <= 1.5


def test_custom_follows_pattern_schedule_and_cap():
    data, _ = simulate_layer(
        "custom", {"hourly_kw": [0] * 20 + [2, 2, 2, 0], "schedule": WEEKDAYS, "max_kw": 1.5}, lambda: None
    )
    assert data.max() == 1.5
    assert data[weekday() >= 5].sum() == 0
    assert data.sum() == pytest.approx(1.5 * 3 * WEEKDAYS_2025)


def test_solar_layer_uses_engine_pv(weather):
    from apps.engine.pv import kwh_per_kwp

    data, config = simulate_layer(
        "solar",
        {
            "solar_config": {
                "panel_count": 10,
                "panel_power_watts": 400,
                "tilt": 30,
                "azimuth": 180,
                "losses": 14,
            }
        },
        lambda: weather,
    )
    assert np.allclose(data, 4.0 * kwh_per_kwp(weather, 30, 180, 14))
    assert config["solar_config"]["annual_production_kwh"] == pytest.approx(data.sum(), abs=0.1)


# --- Templates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", list(TEMPLATES))
def test_template_annual_totals(template_id):
    # the catalogue's annual kWh (stel 3200 and alleenstaand 2500 from the seed's examples)
    assert template_profile(template_id).sum() == pytest.approx(TEMPLATES[template_id]["annual_kwh"])
    assert template_profile(template_id, 4321).sum() == pytest.approx(4321)
    assert template_profile(template_id).min() > 0


def test_templates_really_differ():
    hours, days = hour_of_day(), weekday()
    workday_daytime = (days < 5) & (hours >= 9) & (hours < 17)

    def share(template_id, mask):
        profile = template_profile(template_id)
        return profile[mask].sum() / profile.sum()

    assert (
        share("thuiswerkers-kinderen", workday_daytime)
        > share("stel", workday_daytime)
        > share("alleenstaand", workday_daytime)
    )
    seasonality = {
        t: monthly_sum(template_profile(t))[0] / monthly_sum(template_profile(t))[6] for t in TEMPLATES
    }
    assert seasonality["groot-gezin"] > seasonality["stel"]
    evening = (hours >= 17) & (hours < 21)
    assert share("groot-gezin", evening) > share("stel", evening)
    shapes = [template_profile(t) / template_profile(t).sum() for t in TEMPLATES]
    for i in range(len(shapes)):
        for j in range(i + 1, len(shapes)):
            assert np.abs(shapes[i] - shapes[j]).sum() > 0.05


# --- Combination and storage -------------------------------------------------------------------------------------


def test_combine_rules():
    rng = np.random.default_rng(3)
    base = rng.uniform(0, 1, HOURS)
    base_export = np.where(rng.uniform(size=HOURS) < 0.3, rng.uniform(0, 2, HOURS), 0.0)
    load = rng.uniform(0, 1.5, HOURS)
    pv = rng.uniform(0, 3, HOURS)
    imp, exp, prod = combine(base, None, [], [])
    assert np.array_equal(imp, base) and exp.sum() == 0 and prod.sum() == 0
    imp, exp, _ = combine(base, base_export, [], [])
    assert np.array_equal(imp, base) and np.array_equal(exp, base_export)
    imp, exp, prod = combine(base, base_export, [load], [pv])
    # energy balance per hour
    assert np.allclose(imp - exp, base - base_export + load - pv)
    assert imp.min() >= 0 and exp.min() >= 0 and np.array_equal(prod, pv)
    # extra load uses the hour's export before importing
    imp, exp, _ = combine(np.zeros(HOURS), np.full(HOURS, 1.0), [np.full(HOURS, 0.4)], [])
    assert np.allclose(exp, 0.6) and imp.sum() == 0


def test_pack_round_trip():
    values = np.linspace(0, 5, HOURS)
    blob = pack(values)
    assert len(blob) == HOURS * 4
    assert np.allclose(unpack(blob), values, atol=1e-6)
