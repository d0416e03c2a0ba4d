"""The synthetic year worked out by hand that the KPI value tests use (described in test_kpi_values's
docstring): the inputs, the hand-computed yearly flows and a weather stand-in."""

from types import SimpleNamespace

import numpy as np

from apps.engine.types import (
    BatteryInput,
    Location,
    NewPvArray,
    ScanInputs,
    StudioConsumption,
    TariffInput,
)

DAYS = 365
HOURS = np.arange(8760) % 24
SUN = np.isin(HOURS, (10, 11, 12, 13))
LOAD = np.where(HOURS == 12, 1.0, 0.5)
YIELD = np.where(SUN, 0.25, 0.0)  # kWh per kWp per hour

IMPORT, FEED_IN = 0.40, 0.05
PV_COST_PER_KWP, BATTERY_COST_PER_KWH = 400.0, 300.0
PV_FIXED, BATTERY_FIXED = 600.0, 500.0  # fixed installation costs [EUR]
YEARS, DISCOUNT, ESCALATION = 10, 0.05, 0.02

# Yearly flows worked out by hand in the module docstring [kWh/yr].
HAND = {
    "load": 12.5 * DAYS,  # 4562.5
    "pv": 4.0 * DAYS,  # 1460
    "direct": 2.5 * DAYS,  # 912.5
    "stored": 1.0 * DAYS,  # 365
    "exported": 0.5 * DAYS,  # 182.5
    "battery_out": 1.0 * DAYS,  # 365
    "grid_import": 9.0 * DAYS,  # 3285
}
PV_ONLY_IMPORT = (12.5 - 2.5) * DAYS  # no battery: every non-direct kWh from the grid
PV_ONLY_EXPORT = 1.5 * DAYS


def hand_inputs(**overrides) -> ScanInputs:
    fields = dict(
        location=Location(50.85, 4.35),
        consumption=StudioConsumption(hourly_kwh=LOAD.copy()),
        new_pv=(
            NewPvArray("south", 6, 6, 400.0, 35.0, 180.0, cost_per_kwp=PV_COST_PER_KWP),
            NewPvArray("west", 4, 4, 400.0, 35.0, 270.0, cost_per_kwp=PV_COST_PER_KWP),
        ),
        # No feed-in cost (set: the fixed-contract default of EUR 0.10/kWh would make every exported kWh
        # cost 0.05 net, so the surplus would be curtailed rather than exported).
        tariff=TariffInput(
            type="flat",
            flat_eur_per_kwh=IMPORT,
            feed_in_eur_per_kwh=FEED_IN,
            feed_in_cost_eur_per_kwh=0.0,
            country="BE",
        ),
        battery=BatteryInput(
            capacity_kwh=2.0,
            power_rating_kw=1.0,
            min_capacity_kwh=2.0,
            min_power_rating_kw=1.0,
            minimum_charge_level=50.0,
            roundtrip_efficiency=100.0,
            cost_per_kwh=BATTERY_COST_PER_KWH,
            life_years=5,
            fixed_cost_eur=BATTERY_FIXED,
            standby_w=0.0,  # its own draw is worked out separately (test_battery_standby_draw)
        ),
        goal="self-sufficiency",
        analysis_years=YEARS,
        discount_rate=DISCOUNT,
        price_escalation=0.02,
        pv_fixed_cost_eur=PV_FIXED,
    )
    fields.update(overrides)
    return ScanInputs(**fields)


class HandWeather:
    """A weather provider whose only use here is the source name and year (PV yield is patched below)."""

    def get(self, lat, lon):
        return SimpleNamespace(source="offline", year=2023)
