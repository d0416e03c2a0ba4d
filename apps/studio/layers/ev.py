"""EV charging layer: charging sessions simulated from the driving pattern.

Every day the schedule marks as a driving day (``schedule[weekday][month]``), each of ``count`` cars uses
``daily_consumption_kwh`` [kWh] before it comes home at ``arrival_hour``; a car cannot use more than its
battery holds (``battery_kwh``), the shortfall is reported as ``unmet_kwh``. Every evening each car
plugs in from ``arrival_hour`` until ``departure_hour`` (next morning when departure ≤ arrival) and charges
as fast as allowed until its battery is full again: per car at most ``charger_power_kw``, and when the
layer has ``max_kw`` > 0 the cars share that limit equally. Energy a session cannot deliver before
departure stays owed and is charged in the next session.

The layer's ``hourly_kw`` pattern is kept for the editor but does not drive an EV layer: its data always
comes from this session simulation (charging starts at arrival, uncontrolled, as most home chargers do).

The year is cyclic (the engine's year repeats): the simulation runs the year once to reach the steady
state and records the second run, so over the recorded year the energy delivered equals the energy
driven (exactly, once a session can always catch up), and no hour exceeds the power limit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from apps.studio.layers.common import DAYS, HOURS, day_mask

DEFAULT_EV_CONFIG = {
    "count": 1,
    "battery_kwh": 60.0,
    "daily_consumption_kwh": 12.0,
    "arrival_hour": 18,
    "departure_hour": 8,
    "charger_power_kw": 11.0,
}


@dataclass(frozen=True)
class EvConfig:
    count: int = 1
    battery_kwh: float = 60.0
    daily_consumption_kwh: float = 12.0
    arrival_hour: int = 18
    departure_hour: int = 8
    charger_power_kw: float = 11.0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class EvResult:
    data: np.ndarray  # hourly charging energy of all cars [kWh]
    power_limit_kw: float  # the layer's hourly power limit [kW] (all cars)
    driven_kwh: float  # energy used for driving over the recorded year [kWh]
    delivered_kwh: float  # energy charged over the recorded year [kWh]
    unmet_kwh: float  # driving demand the battery could not hold [kWh]
    sessions: int  # charging sessions with energy delivered (per car)


def per_car_power_kw(config: EvConfig, max_kw: float = 0) -> float:
    """Charging power of one car [kW]: its charger, or its equal share of the layer's max_kw if lower."""
    power = float(config.charger_power_kw)
    if max_kw and max_kw > 0:
        power = min(power, float(max_kw) / config.count)
    return power


def simulate_ev(
    *, config: EvConfig, schedule: list[list[bool]], max_kw: float = 0, year: int | None = None
) -> EvResult:
    """Hourly charging energy of the EV layer [kWh] (see module docstring); weekdays on ``year``'s
    calendar (the profile's)."""
    driving = day_mask(schedule, year)
    power = per_car_power_kw(config, max_kw)
    window = (config.departure_hour - config.arrival_hour) % 24 or 24
    battery = float(config.battery_kwh)
    daily = float(config.daily_consumption_kwh)
    per_car = np.zeros(HOURS)
    deficit = 0.0
    driven = delivered = unmet = 0.0
    sessions = 0
    for record in (False, True):
        if record:
            driven = delivered = unmet = 0.0
        for day in range(DAYS):
            if driving[day]:
                used = min(daily, battery - deficit)
                deficit += used
                if record:
                    driven += used
                    unmet += daily - used
            if deficit <= 1e-12 or power <= 0:
                continue
            full_hours = min(int(deficit // power), window)
            charged = full_hours * power
            rest = min(deficit - charged, power) if full_hours < window else 0.0
            charged += rest
            if record:
                start = day * 24 + config.arrival_hour
                hours = (start + np.arange(full_hours)) % HOURS
                per_car[hours] += power
                if rest > 0:
                    per_car[(start + full_hours) % HOURS] += rest
                delivered += charged
                sessions += 1
            deficit -= charged
    n = config.count
    return EvResult(
        data=per_car * n,
        power_limit_kw=power * n,
        driven_kwh=driven * n,
        delivered_kwh=delivered * n,
        unmet_kwh=unmet * n,
        sessions=sessions,
    )
