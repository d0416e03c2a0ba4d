"""Small sizing cases shared by the sizing tests: four weeks of made-up hours (``T``), a flat and a dynamic
contract, a battery, and a one-roof ``SizingProblem`` with costs scaled to the horizon."""

import numpy as np

from apps.engine.finance import CostParams
from apps.engine.sizing import SizingProblem
from apps.engine.tariffs import levelise, reference_day_ahead
from apps.engine.types import BatteryInput, TariffInput

T = 672
START = 24 * 150  # 31 May: sunny weeks with surplus and negative midday prices
SCALE = T / 8760


def profiles(hours: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(load [kWh per hour], PV yield [kWh per kWp per hour]) of ``hours`` made-up hours: a random base
    load with an evening peak, and a sine-shaped sun scaled by a random day factor."""
    rng = np.random.default_rng(seed)
    h = np.arange(hours) % 24
    load = 0.2 + 0.25 * rng.random(hours) + 0.35 * np.exp(-0.5 * ((h - 19) / 2.0) ** 2)
    day = np.repeat(rng.uniform(0.3, 1.0, hours // 24 + 1), 24)[:hours]
    pv_yield = 0.75 * np.clip(np.sin((h - 5) / 15 * np.pi), 0, None) * day  # kWh per kWp per hour
    return load, pv_yield


def make_problem(
    tariff: TariffInput,
    battery: BatteryInput | None = None,
    goal="cost-savings",
    fraction=None,
    max_panels=12,
) -> SizingProblem:
    """One roof of up to ``max_panels`` 400 W panels on ``T`` hours, costs scaled to the horizon."""
    load, pv_yield = profiles(T)
    lev = levelise(tariff, 2030, 20, 0.05, 0.0, hours=T)
    return SizingProblem(
        load=load,
        existing_pv=np.zeros(T),
        new_pv_yield=pv_yield[None, :],
        panel_kwp=np.array([0.4]),
        min_panels=np.array([0.0]),
        max_panels=np.array([float(max_panels)]),
        pv_cost_per_kwp=np.array([1100.0 * SCALE]),
        battery=battery,
        tariff=lev,
        cost=CostParams(years=20),
        goal=goal,
        min_fraction=fraction,
    )


FLAT = TariffInput(flat_eur_per_kwh=0.30, feed_in_eur_per_kwh=0.05)
DYNAMIC = TariffInput(
    type="dynamic", day_ahead_eur_per_kwh=np.array(reference_day_ahead()[START : START + T])
)
BATTERY = BatteryInput(
    capacity_kwh=8.0,
    power_rating_kw=3.0,
    minimum_charge_level=10,
    roundtrip_efficiency=90,
    cost_per_kwh=300.0 * SCALE,
)
