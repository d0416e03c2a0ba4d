"""Rule-based battery dispatch for self-consumption, and the self-sufficiency/-consumption ratios.

Priority each hour (no grid charging):

1. PV feeds the load directly (``solar_used_onsite = min(pv, load)``);
2. PV surplus charges the battery, limited by the power rating and the room left (``solar_stored``);
3. the rest is exported, up to an optional export limit (``solar_exported``), and what remains is
   curtailed (``solar_wasted``);
4. a deficit is met by the battery down to its minimum charge level, limited by the power rating
   (``battery_used_onsite``), and then by the grid (``grid_used_onsite``).

Battery model (the same conventions the LP in ``sizing.py`` uses):

* ``battery_level[t]`` is the stored energy at the END of hour t [kWh]; the level before hour 0
  equals ``battery_level[8759]`` (cyclic year);
* flows are AC-side energies per hour [kWh]; the power rating [kW] limits charge and discharge;
* one-way efficiencies are the square root of the round-trip efficiency:
  ``level[t] = level[t-1] + eta · stored[t] - discharged[t] / eta``;
* the level stays within ``[min_charge_level % · capacity, capacity]``.

For a flat tariff without grid charging this greedy rule is optimal (every kWh of PV kept instead of
exported is worth the same whenever it is used), which the sizing tests check against the LP.
The cyclic start is found by repeating the year from the end level of the previous pass until the
end level equals the start level (exactly; two passes almost always suffice, because the battery
empties or fills at some hour and the trajectory no longer depends on where it started).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from apps.engine.timebase import HOURS

_MAX_PASSES = 50


@dataclass(frozen=True)
class BatterySpec:
    """A home battery.

    capacity_kwh: usable-plus-reserve capacity [kWh]; power_kw: charge/discharge limit [kW];
    min_charge_level_pct: reserve never discharged [% of capacity];
    roundtrip_efficiency_pct: AC-to-AC round trip [%], split evenly (square root) over charge/discharge.
    """

    capacity_kwh: float
    power_kw: float
    min_charge_level_pct: float = 0.0
    roundtrip_efficiency_pct: float = 90.0

    def __post_init__(self) -> None:
        if self.capacity_kwh < 0 or self.power_kw < 0:
            raise ValueError("battery capacity and power must be ≥ 0")
        if not 0.0 <= self.min_charge_level_pct < 100.0:
            raise ValueError("minimum charge level must be within 0..100 %")
        if not 0.0 < self.roundtrip_efficiency_pct <= 100.0:
            raise ValueError("round-trip efficiency must be within 0..100 %")

    @property
    def one_way_efficiency(self) -> float:
        """Charge (= discharge) efficiency [-] = sqrt(round trip)."""
        return math.sqrt(self.roundtrip_efficiency_pct / 100.0)

    @property
    def min_level_kwh(self) -> float:
        """Lowest allowed stored energy [kWh]."""
        return self.capacity_kwh * self.min_charge_level_pct / 100.0

    @property
    def usable_kwh(self) -> float:
        """Energy between the minimum level and full [kWh]."""
        return self.capacity_kwh - self.min_level_kwh


@dataclass(frozen=True, eq=False)
class DispatchResult:
    """Every hourly flow of a dispatched year [kWh per hour] (8760 arrays) and the battery level.

    Balances, exact per hour up to float rounding:
    load = solar_used_onsite + battery_used_onsite + grid_used_onsite;
    pv = solar_used_onsite + solar_stored + solar_exported + solar_wasted;
    grid_import = grid_used_onsite + grid_stored; grid_export = solar_exported.
    """

    load: np.ndarray
    pv: np.ndarray
    solar_used_onsite: np.ndarray
    solar_stored: np.ndarray
    solar_exported: np.ndarray
    solar_wasted: np.ndarray
    grid_used_onsite: np.ndarray
    grid_stored: np.ndarray
    battery_used_onsite: np.ndarray
    battery_level_kwh: np.ndarray
    battery_level_pct: np.ndarray
    grid_import: np.ndarray
    grid_export: np.ndarray
    battery: BatterySpec | None = None
    passes: int = field(default=1)

    @property
    def self_sufficiency(self) -> float:
        """Share of the load met by own PV, directly or via the battery [-]."""
        return self_sufficiency(
            self.load,
            self.grid_used_onsite,
            battery_used_onsite_kwh=self.battery_used_onsite,
            solar_stored_kwh=self.solar_stored,
            grid_stored_kwh=self.grid_stored,
        )

    @property
    def self_consumption(self) -> float:
        """Share of PV used on site, directly or via the battery [-]."""
        return self_consumption(self.pv, self.solar_exported, self.solar_wasted)

    @property
    def battery_losses_kwh(self) -> float:
        """Energy lost in the battery over the year [kWh] (charged - discharged, cyclic year)."""
        return float(self.solar_stored.sum() + self.grid_stored.sum() - self.battery_used_onsite.sum())

    @property
    def cycles_per_year(self) -> float:
        """Equivalent full cycles [1/yr]: discharged energy / usable capacity."""
        if self.battery is None or self.battery.usable_kwh <= 0:
            return 0.0
        return float(self.battery_used_onsite.sum() / self.battery.usable_kwh)


def self_sufficiency(
    load_kwh: np.ndarray | float,
    grid_used_onsite_kwh: np.ndarray | float,
    *,
    battery_used_onsite_kwh: np.ndarray | float = 0.0,
    solar_stored_kwh: np.ndarray | float = 0.0,
    grid_stored_kwh: np.ndarray | float = 0.0,
) -> float:
    """Self-sufficiency (autarky) [-]: share of the load met by own PV, directly or via the battery.

    = 1 - (grid energy used on site + grid-charged battery energy used on site) / load. Energy the
    battery took from the grid is not own generation: its share of the battery's output (grid charge
    over all charge, exact for a cyclic year with one efficiency) counts as grid. 0 when there is no load.
    """
    load = float(np.sum(load_kwh))
    if load <= 0:
        return 0.0
    grid_charge = float(np.sum(grid_stored_kwh))
    all_charge = grid_charge + float(np.sum(solar_stored_kwh))
    battery_out = float(np.sum(battery_used_onsite_kwh))
    grid_via_battery = battery_out * grid_charge / all_charge if all_charge > 0 else 0.0
    from_grid = float(np.sum(grid_used_onsite_kwh)) + grid_via_battery
    return float(min(max(1.0 - from_grid / load, 0.0), 1.0))


def self_consumption(
    pv_kwh: np.ndarray | float,
    exported_kwh: np.ndarray | float,
    wasted_kwh: np.ndarray | float = 0.0,
) -> float:
    """Self-consumption [-] = 1 - (Σ export + Σ curtailed) / Σ PV (0 when no PV)."""
    pv = float(np.sum(pv_kwh))
    if pv <= 0:
        return 0.0
    return float(min(max(1.0 - (float(np.sum(exported_kwh)) + float(np.sum(wasted_kwh))) / pv, 0.0), 1.0))


def _check_series(name: str, values: np.ndarray | list[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.shape != (HOURS,):
        raise ValueError(f"{name} must have {HOURS} hourly values, got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be finite and non-negative")
    return array


def _one_pass(
    start: float,
    charge_max: list[float],
    discharge_max: list[float],
    eta: float,
    low: float,
    high: float,
) -> tuple[list[float], list[float], list[float], bool]:
    """Simulate one year from level ``start``; returns AC charge, AC discharge, end-of-hour levels,
    and whether any bound was hit (then the trajectory no longer depends on ``start``)."""
    charged = [0.0] * HOURS
    discharged = [0.0] * HOURS
    levels = [0.0] * HOURS
    level = start
    touched = False
    inv_eta = 1.0 / eta
    for t in range(HOURS):
        c = charge_max[t]
        if c > 0.0:
            room = (high - level) * inv_eta
            if c >= room:
                c = room if room > 0.0 else 0.0
                level = high
                touched = True
            else:
                level += c * eta
            charged[t] = c
        else:
            g = discharge_max[t]
            if g > 0.0:
                available = (level - low) * eta
                if g >= available:
                    g = available if available > 0.0 else 0.0
                    level = low
                    touched = True
                else:
                    level -= g * inv_eta
                discharged[t] = g
        levels[t] = level
    return charged, discharged, levels, touched


def dispatch_self_consumption(
    load_kwh: np.ndarray,
    pv_kwh: np.ndarray,
    battery: BatterySpec | None = None,
    *,
    export_limit_kw: float | None = None,
) -> DispatchResult:
    """Dispatch PV and an optional battery for maximum self-consumption over a cyclic year.

    load_kwh, pv_kwh: hourly energies [kWh] (8760 each); battery: ``BatterySpec`` or None;
    export_limit_kw: grid feed-in cap [kW] (None = unlimited); PV above it and the battery's room is
    curtailed. Returns every hourly flow (``DispatchResult``).
    """
    load = _check_series("load", load_kwh)
    pv = _check_series("pv", pv_kwh)
    solar_used = np.minimum(load, pv)
    surplus = pv - solar_used
    deficit = load - solar_used

    has_battery = battery is not None and battery.usable_kwh > 0 and battery.power_kw > 0
    if has_battery:
        assert battery is not None
        eta = battery.one_way_efficiency
        low, high = battery.min_level_kwh, battery.capacity_kwh
        charge_max = np.minimum(surplus, battery.power_kw).tolist()
        discharge_max = np.minimum(deficit, battery.power_kw).tolist()
        start = low
        passes = 0
        while True:
            passes += 1
            charged, discharged, levels, touched = _one_pass(start, charge_max, discharge_max, eta, low, high)
            end = levels[-1]
            if end == start or passes >= _MAX_PASSES:
                break
            if not touched:
                # No bound reached: the whole trajectory shifts with the start level, so move the start
                # straight to the level at which the nearest bound is just reached.
                end = start + (high - max(levels)) if end > start else start - (min(levels) - low)
            start = end
        stored = np.asarray(charged)
        battery_used = np.asarray(discharged)
        level_kwh = np.asarray(levels)
        level_pct = 100.0 * level_kwh / battery.capacity_kwh
    else:
        passes = 1
        stored = np.zeros(HOURS)
        battery_used = np.zeros(HOURS)
        level_kwh = np.zeros(HOURS)
        level_pct = np.zeros(HOURS)

    rest = np.maximum(surplus - stored, 0.0)
    if export_limit_kw is None:
        exported = rest
    else:
        if export_limit_kw < 0:
            raise ValueError("export limit must be ≥ 0 kW")
        exported = np.minimum(rest, float(export_limit_kw))
    wasted = surplus - stored - exported
    wasted = np.where(wasted > 0.0, wasted, 0.0)
    grid_used = np.maximum(deficit - battery_used, 0.0)
    grid_stored = np.zeros(HOURS)
    return DispatchResult(
        load=load,
        pv=pv,
        solar_used_onsite=solar_used,
        solar_stored=stored,
        solar_exported=exported,
        solar_wasted=wasted,
        grid_used_onsite=grid_used,
        grid_stored=grid_stored,
        battery_used_onsite=battery_used,
        battery_level_kwh=level_kwh,
        battery_level_pct=level_pct,
        grid_import=grid_used + grid_stored,
        grid_export=exported,
        battery=battery if has_battery else None,
        passes=passes,
    )
