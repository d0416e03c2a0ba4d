"""Layer presets and the one entry point that turns a layer's config into its hourly data.

Load layers (EV, heat pump, pool, custom) add consumption [kWh per hour, ≥ 0]; the solar layer's data is
the existing installation's production [kWh per hour, ≥ 0] (see services: it reconstructs the gross
consumption of a measured base, and is subtracted from a template base).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

from apps.engine.weather import Weather
from apps.studio.layers.common import ALL_YEAR, months_only
from apps.studio.layers.custom import simulate_custom
from apps.studio.layers.ev import DEFAULT_EV_CONFIG, EvConfig, simulate_ev
from apps.studio.layers.heatpump import simulate_heat_pump
from apps.studio.layers.pool import simulate_pool
from apps.studio.layers.solar import DEFAULT_SOLAR_CONFIG, simulate_solar

EV, HEAT_PUMP, POOL, CUSTOM, SOLAR = "ev_charger", "heat_pump", "pool", "custom", "solar"


LAYER_PRESETS: dict[str, dict] = {
    "ev": {
        "id": "ev",
        "type": EV,
        "name": "Elektrische auto",
        "description": "Laadsessies thuis: vertrek- en aankomsttijd, dagverbruik en laadvermogen",
        "icon": "Car",
        "color": "energy",
        "max_kw": 7,
        "default_hourly_kw": [0, 0, 0, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0.5, 0, 0, 0],
        "default_schedule": ALL_YEAR,
        "default_ev_config": DEFAULT_EV_CONFIG,
    },
    "warmtepomp": {
        "id": "warmtepomp",
        "type": HEAT_PUMP,
        "name": "Warmtepomp",
        "description": "Lucht-water warmtepomp; verbruik volgt de buitentemperatuur (graaduren)",
        "icon": "Thermometer",
        "color": "heat",
        "max_kw": 3.5,
        # kW electric at the design temperature (−10 °C) per hour of day; lower at night (setback)
        "default_hourly_kw": [1.6] * 6 + [2.4] * 3 + [2.0] * 8 + [2.2] * 5 + [1.6] * 2,
        "default_schedule": ALL_YEAR,
    },
    "zwembad": {
        "id": "zwembad",
        "type": POOL,
        "name": "Zwembad",
        "description": "Filterpomp en verwarming in het zwemseizoen (mei t/m september)",
        "icon": "Waves",
        "color": "water",
        "max_kw": 3,
        "default_hourly_kw": [0.0] * 8 + [1.5] * 10 + [0.0] * 6,
        "default_schedule": months_only([4, 5, 6, 7, 8]),
    },
    "custom": {
        "id": "custom",
        "type": CUSTOM,
        "name": "Eigen verbruik",
        "description": "Vrij in te vullen dagpatroon, per weekdag en maand aan of uit",
        "icon": "Plus",
        "color": "muted",
        "max_kw": 5,
        "default_hourly_kw": [0.0] * 18 + [0.5] * 4 + [0.0] * 2,
        "default_schedule": ALL_YEAR,
    },
    "solar": {
        "id": "solar",
        "type": SOLAR,
        "name": "Zonnepanelen",
        "description": (
            "De bestaande zonnepanelen (een of meer dakvlakken, pvlib); bij gemeten data blijven afname en "
            "teruglevering zoals gemeten en wordt het verbruik gereconstrueerd"
        ),
        "icon": "Sun",
        "color": "solar",
        "max_kw": 0,
        "default_hourly_kw": [0.0] * 24,
        "default_schedule": ALL_YEAR,
        "default_solar_config": DEFAULT_SOLAR_CONFIG,
    },
}
PRESET_FOR_TYPE = {preset["type"]: preset_id for preset_id, preset in LAYER_PRESETS.items()}


def preset_config(preset_id: str) -> dict:
    """A fresh layer config from a preset (snake_case keys)."""
    preset = LAYER_PRESETS[preset_id]
    config = {
        "schedule": copy.deepcopy(preset["default_schedule"]),
        "hourly_kw": list(preset["default_hourly_kw"]),
        "max_kw": preset["max_kw"],
    }
    if preset["type"] == EV:
        config["ev_config"] = dict(DEFAULT_EV_CONFIG)
    if preset["type"] == SOLAR:
        config["solar_config"] = copy.deepcopy(DEFAULT_SOLAR_CONFIG)
    return config


def simulate_layer(
    kind: str, config: dict, weather: Callable[[], Weather], year: int | None = None
) -> tuple[np.ndarray, dict]:
    """Hourly data [kWh] of a layer and its config completed with computed figures.

    ``weather`` is called only by the layers that need it (heat pump, pool, solar); ``year`` is the
    profile's calendar year, whose weekdays the schedules follow (None: the engine's reference year).
    """
    config = copy.deepcopy(config)
    schedule = config.get("schedule") or ALL_YEAR
    hourly_kw = config.get("hourly_kw") or [0.0] * 24
    max_kw = float(config.get("max_kw") or 0)
    if kind == EV:
        ev_config = EvConfig(**{**DEFAULT_EV_CONFIG, **(config.get("ev_config") or {})})
        result = simulate_ev(config=ev_config, schedule=schedule, max_kw=max_kw, year=year)
        config["ev_config"] = ev_config.as_dict()
        config["ev_stats"] = {
            "driven_kwh": round(result.driven_kwh, 2),
            "delivered_kwh": round(result.delivered_kwh, 2),
            "unmet_kwh": round(result.unmet_kwh, 2),
            "power_limit_kw": round(result.power_limit_kw, 3),
            "sessions": result.sessions,
        }
        return result.data, config
    if kind == HEAT_PUMP:
        data = simulate_heat_pump(
            temp_air=weather().temp_air, hourly_kw=hourly_kw, schedule=schedule, max_kw=max_kw, year=year
        )
        return data, config
    if kind == POOL:
        data = simulate_pool(
            temp_air=weather().temp_air, hourly_kw=hourly_kw, schedule=schedule, max_kw=max_kw, year=year
        )
        return data, config
    if kind == CUSTOM:
        return simulate_custom(hourly_kw=hourly_kw, schedule=schedule, max_kw=max_kw, year=year), config
    if kind == SOLAR:
        data, solar_config = simulate_solar(weather=weather(), solar_config=config.get("solar_config") or {})
        config["solar_config"] = solar_config
        return data, config
    raise ValueError(f"unknown layer type {kind!r}")
