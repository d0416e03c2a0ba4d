"""What is sized and how a design is costed: the sizing problem, the lifecycle objective (the report's NPV
as an annuity [EUR/yr]) and the design / evaluation / outcome types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from apps.engine.battery import (
    one_way_efficiency,
)
from apps.engine.dispatch import self_sufficiency
from apps.engine.finance import CostParams, battery_investment, evaluate_finance, pv_investment
from apps.engine.tariffs import (
    LevelisedTariff,
    capital_recovery_factor,
    fold_years,
)
from apps.engine.types import BatteryInput, Goal


def _npv(params: CostParams, pv_capex=0.0, bat_capex=0.0, kwp=0.0, pv_only=None, design=None) -> float:
    """The report's NPV (``finance.evaluate_finance``) of a design with the given yearly bills [EUR] (BAU
    bills zero: they are the same for every design)."""
    zeros = [0.0] * params.years
    return evaluate_finance(
        pv_capex=pv_capex,
        battery_capex=bat_capex,
        new_pv_kw=kwp,
        bau_bills=zeros,
        pv_only_bills=zeros if pv_only is None else pv_only,
        design_bills=zeros if design is None else design,
        design_feed_in_revenue=zeros,
        params=params,
    ).npv


@dataclass(frozen=True, eq=False)
class LifecycleObjective:
    """The sizing cost = minus the NPV the report shows, as an annuity [EUR/yr] (CRF x -NPV + a constant).

    ``finance.evaluate_finance`` is affine in the yearly bills (savings_y = esc_y x (S_pv,y x pvf_y +
    S_bat,y x soh_y)), so for a design with PV-only bills P_y and design bills B_y

        -NPV = ownership + sum_y a_y P_y + sum_y b_y (B_y - P_y) - sum_y a_y BAU_y

    with a_y = d(-NPV)/dP_y (discounting x escalation x PV degradation) and b_y = d(-NPV)/dB_y
    (x battery state of health). Both are read off ``evaluate_finance`` itself with unit bills, and the
    ownership (investment, replacements, O&M and whatever else the finance counts) likewise, so the
    objective follows the finance module by construction (one source of truth). The yearly bills of
    each contract regime are folded into ``LevelisedTariff``s: ``pv`` (weights a, designs without
    battery), ``pv_residual`` (a - b) and ``battery`` (b)."""

    crf: float
    pv: LevelisedTariff
    pv_residual: LevelisedTariff
    battery: LevelisedTariff
    own_coef: tuple[float, float, float, float, float]
    params: CostParams

    @classmethod
    def build(cls, tariff: LevelisedTariff, params: CostParams) -> LifecycleObjective:
        crf = capital_recovery_factor(params.discount_rate, params.years)
        n = params.years
        yearly = list(tariff.yearly)
        if not yearly:  # hand-built tariff: its own weights stand for the whole objective
            zero = LevelisedTariff(terms=tuple((0.0, t) for _, t in tariff.terms))
            own = cls._own_coefficients(params)
            return cls(crf, tariff, zero, tariff, own, params)
        yearly = (yearly + [yearly[-1]] * n)[:n]
        base_pv, base_bat = _npv(params), _npv(params, bat_capex=1.0)
        a, b = [], []
        for y in range(n):
            unit = [0.0] * n
            unit[y] = 1.0
            a.append(crf * (base_pv - _npv(params, pv_only=unit, design=unit)))
            b.append(crf * (base_bat - _npv(params, bat_capex=1.0, design=unit)))
        return cls(
            crf,
            fold_years(yearly, a),
            fold_years(yearly, [x - y for x, y in zip(a, b, strict=True)]),
            fold_years(yearly, b),
            cls._own_coefficients(params),
            params,
        )

    @staticmethod
    def _own_coefficients(params: CostParams) -> tuple[float, float, float, float, float]:
        """Ownership -NPV = pv_fixed [pv > 0] + pv_per_eur x PV capex + per_kwp x kWp + bat_fixed
        [battery > 0] + bat_per_eur x battery capex, read off ``evaluate_finance`` [EUR, -, EUR/kWp]."""
        p1, p2 = -_npv(params, pv_capex=1.0), -_npv(params, pv_capex=2.0)
        k1 = -_npv(params, pv_capex=1.0, kwp=1.0)
        b1, b2 = -_npv(params, bat_capex=1.0), -_npv(params, bat_capex=2.0)
        return (p1 - (p2 - p1), p2 - p1, k1 - p1, b1 - (b2 - b1), b2 - b1)

    @property
    def pv_fixed(self) -> float:
        """Annuity of what installing any new PV costs at all [EUR/yr]: the ownership intercept plus the
        fixed installation cost (``CostParams.pv_fixed_eur``, part of ``finance.pv_investment``)."""
        pv0, pv1, _, _, _ = self.own_coef
        return self.crf * (pv0 + pv1 * self.params.pv_fixed_eur)

    @property
    def battery_fixed(self) -> float:
        """Annuity of what installing any battery costs at all [EUR/yr] (``CostParams.battery_fixed_eur``,
        part of ``finance.battery_investment``, and the replacements and O&M it carries)."""
        _, _, _, b0, b1 = self.own_coef
        return self.crf * (b0 + b1 * self.params.battery_fixed_eur)

    def ownership(self, pv_capex: float, bat_capex: float, kwp: float) -> float:
        """Annuity of the ownership costs [EUR/yr]; checked against ``evaluate_finance`` in tests."""
        pv0, pv1, kw1, b0, b1 = self.own_coef
        own = 0.0
        if pv_capex > 0 or kwp > 0:
            own += pv0 + pv1 * pv_capex + kw1 * kwp
        if bat_capex > 0:
            own += b0 + b1 * bat_capex
        return self.crf * own

    def energy(self, pv_import, pv_export, grid_import=None, grid_export=None):
        """Energy part [EUR/yr] from the PV-only flows and, with a battery, the design's flows
        (vectorised like ``LevelisedTariff.energy_cost``)."""
        if grid_import is None:
            return self.pv.energy_cost(pv_import, pv_export)
        return self.pv_residual.energy_cost(pv_import, pv_export) + self.battery.energy_cost(
            grid_import, grid_export
        )


@dataclass(frozen=True, eq=False)
class SizingProblem:
    """Inputs of the sizing.

    load, existing_pv: hourly [kWh] (T,); new_pv_yield: per new array [kWh/kWp per hour] (n, T);
    panel_kwp [kWp per panel], min_panels/max_panels [count], pv_cost_per_kwp [EUR/kWp]: (n,) each;
    battery: the allowed range (None = no battery); tariff: levelised contract; cost: ownership
    assumptions; goal and min_fraction (renewable-minimum) [-].
    """

    load: np.ndarray
    existing_pv: np.ndarray
    new_pv_yield: np.ndarray
    panel_kwp: np.ndarray
    min_panels: np.ndarray
    max_panels: np.ndarray
    pv_cost_per_kwp: np.ndarray
    battery: BatteryInput | None
    tariff: LevelisedTariff
    cost: CostParams
    goal: Goal = "cost-savings"
    min_fraction: float | None = None
    # Measured import and export within one hour [kWh/h] that the hourly model nets (a studio meter's);
    # billed on both sides of every case (scenarios._bills), so it shifts bills, not savings.
    within_hour_kwh: np.ndarray | None = None

    @property
    def hours(self) -> int:
        return int(self.load.shape[0])

    @property
    def n_arrays(self) -> int:
        return int(self.panel_kwp.shape[0])

    @property
    def eta(self) -> float:
        return one_way_efficiency(self.battery.roundtrip_efficiency) if self.battery else 1.0

    @property
    def min_fraction_soc(self) -> float:
        return self.battery.minimum_charge_level / 100.0 if self.battery else 0.0

    @property
    def battery_allowed(self) -> bool:
        b = self.battery
        return b is not None and b.capacity_kwh > 0 and b.power_rating_kw > 0

    @property
    def greedy_is_optimal(self) -> bool:
        """Self-consumption dispatch is the battery's rule: flat prices and a stored kWh worth more than
        exporting it (round trip x import price >= export value). It is cost-optimal for the energy; under
        a capacity tariff it is also the causal peak rule (discharge while energy is left; see
        ``battery``), since a dispatch optimising the monthly peaks would need foresight of each month."""
        if not self.tariff.is_flat:
            return False
        roundtrip = self.eta**2
        return bool(roundtrip * self.tariff.import_weights.min() >= self.export_value.max())

    @property
    def export_value(self) -> np.ndarray:
        """Levelised value of an exported kWh after feed-in costs [EUR/kWh per hour]."""
        return self.tariff.export_weights

    def pv(self, panels: np.ndarray) -> np.ndarray:
        """PV production [kWh per hour] for panel counts (n,) → (T,) or (k, n) → (k, T)."""
        kwp = np.asarray(panels, dtype=float) * self.panel_kwp
        return self.existing_pv + kwp @ self.new_pv_yield

    def capex(self, panels, capacity: float, power: float) -> tuple[float, float, float]:
        """(PV investment [EUR], battery investment [EUR], new PV [kWp]) of a design."""
        kwp = np.asarray(panels, dtype=float) * self.panel_kwp
        pv_capex = pv_investment(float(kwp @ self.pv_cost_per_kwp), float(kwp.sum()), self.cost)
        bat_capex = 0.0
        if self.battery is not None and capacity > 0:
            bat_capex = battery_investment(capacity, power, self.battery.cost_per_kwh, self.cost)
        return pv_capex, bat_capex, float(kwp.sum())

    @cached_property
    def lifecycle(self) -> LifecycleObjective:
        return LifecycleObjective.build(self.tariff, self.cost)

    def annual_ownership(self, panels: np.ndarray, capacity: float, power: float) -> float:
        """Annuity of investment, replacements and maintenance as the report's finance counts them
        [EUR/yr]."""
        return self.lifecycle.ownership(*self.capex(panels, capacity, power))


@dataclass(frozen=True, eq=False)
class DesignFlows:
    """Every hourly flow of one design [kWh per hour, (T,)]."""

    load: np.ndarray
    pv: np.ndarray
    solar_used_onsite: np.ndarray
    solar_stored: np.ndarray
    solar_exported: np.ndarray
    solar_wasted: np.ndarray
    grid_used_onsite: np.ndarray
    grid_stored: np.ndarray
    battery_used_onsite: np.ndarray
    battery_level: np.ndarray

    @property
    def grid_import(self) -> np.ndarray:
        return self.grid_used_onsite + self.grid_stored

    @property
    def grid_export(self) -> np.ndarray:
        return self.solar_exported

    @property
    def self_sufficiency(self) -> float:
        """Share of the load met by own PV [-]; grid-charged battery energy counts as grid."""
        return self_sufficiency(
            self.load,
            self.grid_used_onsite,
            battery_used_onsite_kwh=self.battery_used_onsite,
            solar_stored_kwh=self.solar_stored,
            grid_stored_kwh=self.grid_stored,
        )


@dataclass(frozen=True)
class Design:
    """Panel counts per new array [count], battery capacity [kWh] and power [kW] (0, 0 = none)."""

    panels: tuple[int, ...]
    capacity_kwh: float = 0.0
    power_kw: float = 0.0


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A design with its annual cost [EUR/yr] (ownership annuity + levelised energy), grid energy used on
    site [kWh/yr], self-sufficiency [-] and (when kept) its hourly flows."""

    design: Design
    annual_cost: float
    energy_cost: float
    grid_to_load: float
    self_sufficiency: float
    flows: DesignFlows | None = None


def cost_key(e: Evaluation) -> float:
    """The cost-savings goal's order on evaluations: annual cost [EUR/yr]."""
    return e.annual_cost


@dataclass(frozen=True, eq=False)
class SizingOutcome:
    """Result of ``size_system``: status "optimal" or "infeasible" (with a human reason), the chosen
    design's evaluation, the best design without battery, evaluation count and dispatch method."""

    status: str
    reason: str | None
    best: Evaluation | None
    best_without_battery: Evaluation | None
    evaluations: int = 0
    dispatch: str = "greedy"
    notes: list[str] = field(default_factory=list)
