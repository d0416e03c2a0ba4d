"""Gross consumption of a home with solar panels from its measured hourly net meter data [kWh per hour].

A meter behind existing panels records grid import ``I_h`` and export ``E_h``; what the household used
is ``gross_h = I_h + own_h`` with ``own_h = P_h − E_h`` the panels' production used on site. The
production ``P_h`` comes from the solar layer (simulated by the engine on the reference weather, or
measured by a linked inverter). Measured data is never altered: ``I`` and ``E`` are kept exactly.

Simulated production is the reference year's weather, not the measured year's, so in some hours (and
on some days) it is below the measured export — impossible physically. ``reconcile_production`` makes
a production series that is consistent with the meter, deterministically:

0. within each month the simulated days are reordered so that the sunniest simulated day falls on the
   day with the most measured export (rank matching, ``day_order``; month totals and each day's hourly
   shape are kept). The export is the measurement's evidence of the real weather. Skipped for a
   measured production (``measured=True``), which already is the real weather;
1. per day ``d`` the production total is ``D'_d = max(D_d, X_d)`` (``D_d`` simulated, ``X_d`` measured
   export that day): a day never produces less than it exported;
2. the day's own use ``U_d = D'_d − X_d`` is spread over its hours by the simulated surplus
   ``max(P_h − E_h, 0)`` (by ``P_h`` when there is none; nothing when the day simulates no sun), and
   ``P'_h = E_h + own_h``: so ``P'_h ≥ E_h`` and ``own_h ≥ 0`` in every hour;
3. step 1 only ever raises a day, which would inflate the year's production by the weather mismatch;
   so all ``own_h`` are scaled by one factor ``f = min(1, (ΣP − ΣE) / ΣU)``: the year's production is
   then ``max(ΣP, ΣE)`` — the solar layer's own yearly yield whenever it is physically possible.

Results: ``gross_h = I_h + own_h ≥ I_h``; ``Σ gross = ΣI + ΣP − ΣE`` exactly (when ΣP ≥ ΣE); import and
export untouched. Assumptions and known error: the layer's yearly yield is taken as true, so an error in
it goes one-to-one into the yearly gross (a layer 20 % too large adds 20 % of its yield to the gross —
``tests/engine/test_reconstruction.py`` measures it); within the year own use is placed on the days and
hours the simulation is sunny (after step 0), not exactly the measured ones, which shifts load between
days but not its total. Measured on a synthetic home (4,000 kWh household, 4 kWp south) whose true
production is the layer's shifted by 1-10 days: yearly gross exact, daily gross off by 7-13 % on average
(30 % without step 0; 5.5 % even for the exact layer, as step 0 re-ranks days of equal sun by export).
Within-hour import and export (both in one metered hour) are kept as measured; the engine's hourly model
nets them and bills them back on both sides (``SizingProblem.within_hour_kwh``). With a measured inverter
production there is no weather mismatch: step 0 is skipped and steps 1-3 change nothing when every hour's
production covers its export.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from apps.engine.load import validate_profile
from apps.engine.timebase import DAYS, month_index


@dataclass(frozen=True, eq=False)
class Reconstruction:
    """production: reconciled existing production P' [kWh/h]; own_use: P' − E [kWh/h];
    gross: import + own use [kWh/h]; the rest describe what the reconciliation did [kWh, -]."""

    production: np.ndarray
    own_use: np.ndarray
    gross: np.ndarray
    simulated_kwh: float
    raised_days: int
    year_factor: float
    warning: str | None
    day_order: np.ndarray | None = None


def day_order(production: np.ndarray, export: np.ndarray) -> np.ndarray:
    """For each day, the simulated day whose weather it gets [365 day indices]: within each month the
    sunniest simulated day goes to the day with the most measured export (stable ranks)."""
    day_exp = export.reshape(DAYS, 24).sum(axis=1)
    day_sim = production.reshape(DAYS, 24).sum(axis=1)
    months = month_index().reshape(DAYS, 24)[:, 0]
    order = np.arange(DAYS)
    for month in range(12):
        days = np.flatnonzero(months == month)
        order[days[np.argsort(day_exp[days], kind="stable")]] = days[np.argsort(day_sim[days], kind="stable")]
    return order


def reorder_days(hourly: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Hourly series [..., 8760] with its days taken in ``order`` (``day_order``): so new panels simulated on
    the same reference weather see the same re-ranked days as the existing ones."""
    values = np.asarray(hourly, dtype=float)
    shape = values.shape
    return values.reshape(*shape[:-1], DAYS, 24)[..., np.asarray(order), :].reshape(shape)


def reconcile_production(
    import_kwh: np.ndarray, export_kwh: np.ndarray, production_kwh: np.ndarray, *, measured: bool = False
) -> Reconstruction:
    """Existing production consistent with the measured export, and the gross load (module docstring)."""
    imp = validate_profile(import_kwh, "measured import")
    exp = validate_profile(export_kwh, "measured export")
    sim = validate_profile(production_kwh, "solar production")
    order = None
    if not measured:
        order = day_order(sim, exp)
        sim = reorder_days(sim, order)
    p_day, e_day = sim.reshape(DAYS, 24), exp.reshape(DAYS, 24)
    day_sim, day_exp = p_day.sum(axis=1), e_day.sum(axis=1)
    day_own = np.maximum(day_sim, day_exp) - day_exp
    surplus = np.maximum(p_day - e_day, 0.0)
    weights = np.where(surplus.sum(axis=1, keepdims=True) > 0, surplus, p_day)
    totals = weights.sum(axis=1, keepdims=True)
    share = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    own = (share * day_own[:, None]).reshape(-1)
    target = max(float(sim.sum()) - float(exp.sum()), 0.0)
    raw = float(own.sum())
    factor = min(1.0, target / raw) if raw > 0 else 1.0
    own = own * factor
    warning = None
    if float(exp.sum()) > float(sim.sum()):
        warning = (
            f"the measured export ({exp.sum():.0f} kWh) exceeds the solar layer's production "
            f"({sim.sum():.0f} kWh): the layer is too small, so own use is set to zero"
        )
    production = exp + own
    return Reconstruction(
        production=production,
        own_use=own,
        gross=imp + own,
        simulated_kwh=float(sim.sum()),
        raised_days=int(np.sum(day_exp > day_sim + 1e-9)),
        year_factor=factor,
        warning=warning,
        day_order=order,
    )
