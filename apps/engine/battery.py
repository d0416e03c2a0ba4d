"""Fast battery dispatch kernels for the sizing search.

* ``greedy_batch``: the self-consumption rule of ``dispatch.py`` (PV surplus charges, deficit discharges,
  cyclic year) for many designs at once, without a Python loop over hours. Each hour maps the start
  level x to ``min(hi, max(lo, x + delta))``; such clip maps are closed under composition, so all
  end-of-hour levels follow from one parallel prefix scan (log2(8760) = 14 numpy steps) and the cyclic
  start is the fixed point of the year's composed map. Same conventions as ``dispatch.py`` (one-way
  efficiency sqrt(round trip), level at the end of the hour); tests check equality.
* the cost-optimal dispatch for dynamic prices is the LP of ``battery_lp``.

Capacity tariff without foresight. The bill charges each month's highest quarter hour. A dispatch that
minimises the year's cost including the monthly peaks (a peak variable per month, solved over the whole
year at once) knows every month's load in advance: it keeps exactly the energy each month's worst
evening needs and holds every month at the 2.5 kW floor, which no home controller can do (it credited
about EUR 108/yr in the audited case). The product's dispatch is one a controller can run:

* the peak limit L is fixed in advance and kept all year, every month the same: the floor itself, in
  hourly import (``LevelisedTariff.demand_floor_kw`` = 2.5 kW / quarter-hour factor), below which import
  costs nothing extra. It needs no forecast of any month, and a higher limit would only allow dearer
  peaks. Grid charging (the only way a battery can raise import) may never lift an hour's import above
  max(L, what the house draws anyway), so the battery never raises a bill's peak above the household's
  own and the floor;
* the battery serves the load by its normal rule: self-consumption on a flat contract (discharge into
  every deficit while it holds energy: ``greedy_batch``), prices on a dynamic one (``battery_lp``, which knows
  the day-ahead prices but has no peak term). When the load exceeds what the remaining energy and power
  can shave, the month's peak rises to the actual import, and that is billed: the capacity cost is
  always computed from the resulting import series (``tariffs.demand_cost``), never from a planned peak.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from apps.engine import defaults as d


def deliverable_power_kw(power_kw, capacity_kwh):
    """Charge/discharge power a battery of ``capacity_kwh`` [kWh] really has [kW]: its rating, at most
    ``BATTERY_MAX_C_RATE`` x capacity (home batteries deliver 0.3-1 C; a 2 kWh battery has no 5 kW)."""
    return np.minimum(power_kw, d.BATTERY_MAX_C_RATE * np.asarray(capacity_kwh, dtype=float))


def standby_kwh_per_hour(battery) -> float:
    """A battery's own draw [kWh per hour] (``BatteryInput.standby_w`` / 1000); 0 without a battery."""
    return float(battery.standby_w) / 1000.0 if battery is not None else 0.0


def effective_roundtrip_pct(out_kwh: float, in_kwh: float, standby_kwh: float) -> float | None:
    """The battery's round trip over a year including its own use [%]: out / (in + standby).

    Conversion efficiency depends on power: with a constant no-load loss P0 (the standby draw, the p0 term
    of the Schmidt-Sauer inverter model) and the rated round trip eta, a battery cycled at power P returns
    eta x P / (P + P0): little at low power. Over the year this is out / (in + standby), which is what the
    report shows; None when nothing goes in."""
    if in_kwh + standby_kwh <= 0:
        return None
    return 100.0 * out_kwh / (in_kwh + standby_kwh)


def one_way_efficiency(roundtrip_pct: float) -> float:
    """Charge = discharge efficiency [-] = sqrt(round trip [%] / 100)."""
    return math.sqrt(roundtrip_pct / 100.0)


# --- Greedy self-consumption, vectorised -------------------------------------------------------------------


def _scan_clip_maps(
    delta: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inclusive prefix composition of x ↦ min(hi, max(lo, x + delta_t)) along the last axis.

    Returns (a, b, c) with F_t(x) = min(a_t, max(b_t, x + c_t)) = level after hour t from start x.
    delta: (k, T); lo, hi: (k, 1).
    """
    k, n = delta.shape
    a = np.broadcast_to(hi, (k, n)).copy()
    b = np.broadcast_to(lo, (k, n)).copy()
    c = delta.copy()
    step = 1
    while step < n:
        # Compose earlier prefix (a1, b1, c1) = [:, :-step] with later map (a2, b2, c2) = [:, step:].
        a1, b1, c1 = a[:, :-step], b[:, :-step], c[:, :-step]
        a2, b2, c2 = a[:, step:], b[:, step:], c[:, step:]
        new_a = a1 + c2
        np.maximum(new_a, b2, out=new_a)
        np.minimum(new_a, a2, out=new_a)
        new_b = b1 + c2
        np.maximum(new_b, b2, out=new_b)
        new_c = c1 + c2
        a[:, step:] = new_a
        b[:, step:] = new_b
        c[:, step:] = new_c
        step *= 2
    return a, b, c


@dataclass(frozen=True, eq=False)
class GreedyFlows:
    """Greedy dispatch of k designs [kWh per hour, arrays (k, T)]: charged (AC, from PV surplus),
    discharged (AC, to the load), level (end of hour)."""

    charged: np.ndarray
    discharged: np.ndarray
    level: np.ndarray


def greedy_batch(
    surplus: np.ndarray,
    deficit: np.ndarray,
    capacity_kwh: np.ndarray,
    power_kw: np.ndarray,
    min_fraction: float,
    eta: float,
) -> GreedyFlows:
    """Self-consumption dispatch of k batteries over a cyclic year.

    surplus, deficit: PV minus load where positive, load minus PV where positive [kWh] ((k, T) or (T,));
    capacity_kwh, power_kw: (k,) [kWh], [kW]; min_fraction: reserve [fraction of capacity];
    eta: one-way efficiency [-].
    """
    surplus = np.atleast_2d(surplus)
    deficit = np.atleast_2d(deficit)
    cap = np.asarray(capacity_kwh, dtype=float).reshape(-1, 1)
    power = np.asarray(power_kw, dtype=float).reshape(-1, 1)
    k = max(surplus.shape[0], deficit.shape[0], cap.shape[0])
    surplus = np.broadcast_to(surplus, (k, surplus.shape[1]))
    deficit = np.broadcast_to(deficit, (k, deficit.shape[1]))
    cap = np.broadcast_to(cap, (k, 1))
    power = np.broadcast_to(power, (k, 1))
    lo = cap * min_fraction
    hi = cap
    delta = eta * np.minimum(surplus, power) - np.minimum(deficit, power) / eta
    a, b, c = _scan_clip_maps(delta, lo, hi)
    # Cyclic start: fixed point of the year's map F(x) = min(a, max(b, x + c)) within [lo, hi].
    a_end, b_end, c_end = a[:, -1:], b[:, -1:], c[:, -1:]
    start = np.where(
        c_end > 0,
        a_end,
        np.where(c_end < 0, np.minimum(a_end, b_end), np.minimum(a_end, np.maximum(b_end, lo))),
    )
    level = np.minimum(a, np.maximum(b, start + c))
    prev = np.concatenate([start, level[:, :-1]], axis=1)
    change = level - prev
    charged = np.where(change > 0, change / eta, 0.0)
    discharged = np.where(change < 0, -change * eta, 0.0)
    # Rounding: never beyond what the hour offered.
    charged = np.minimum(charged, np.minimum(surplus, power))
    discharged = np.minimum(discharged, np.minimum(deficit, power))
    return GreedyFlows(charged=charged, discharged=discharged, level=level)
