"""Electricity contracts: resolve a ``TariffInput`` for one calendar year into hourly prices, and bill
hourly grid import/export.

* flat: one import price (taxes included, or energy tax of the year + VAT added from ``defaults``) and
  one feed-in price.
* from 2027 to 2029 Dutch feed-in is at least half the bare supply price on every contract type (the
  floor that follows the end of net metering, Kamerstuk 36611); on a dynamic contract hour by hour.
* dynamic: (day-ahead + supplier markup + energy tax) x (1 + VAT) for import; day-ahead minus a fee for
  export. Without supplied prices a built-in measured day-ahead year is used (``reference_day_ahead``):
  the tariff's ``price_year`` or the country's latest.
* net metering (Dutch salderingsregeling): exported kWh up to the imported kWh are netted over the year;
  it applies to calendar years up to 2026 unless forced on/off by the caller.
* per-kWh feed-in costs (terugleverkosten), fixed monthly costs, and the Belgian capacity tariff: a demand
  charge on the monthly peak [kW], billed on the rolling 12-month average with a 2.5 kW floor per month.
  The grid operator bills the highest quarter hour of each month; from hourly import it is billed as
  ``BE_QUARTER_HOUR_PEAK_FACTOR`` x the highest hour (``capacity`` has the rules and the rates per year).

Everything here is linear in import/export except the netting (a min of two yearly sums) and the
demand charge (a max per month), both convex, so the sizing can use the same terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from apps.engine import capacity
from apps.engine import defaults as d
from apps.engine.reference_data import day_ahead_year, latest_price_year
from apps.engine.timebase import HOURS, month_index
from apps.engine.types import BillBreakdown, TariffInput

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@lru_cache(maxsize=1)
def _month_starts() -> np.ndarray:
    """First hour of each month [h] (12 values)."""
    return np.concatenate([[0], np.cumsum(np.array(_MONTH_DAYS) * 24)[:-1]])


def month_starts_of(hours: int = HOURS) -> np.ndarray:
    """First hour of each month within ``hours`` steps [h] (as ``monthly_peaks`` splits them)."""
    starts = _month_starts()
    return starts[starts < hours]


def month_index_of(hours: int = HOURS) -> np.ndarray:
    """Month index 0..11 of each of ``hours`` steps (``timebase.month_index`` for a year); shorter horizons
    (tests) fall in the first months."""
    base = month_index()
    if hours <= HOURS:
        return base[:hours]
    return np.minimum(np.arange(hours) // (24 * 31), 11)


@dataclass(frozen=True, eq=False)
class ResolvedTariff:
    """One calendar year's contract as hourly prices.

    import_price: what one imported kWh costs, taxes included [EUR/kWh, per hour]
    export_price: what one exported kWh earns before feed-in costs [EUR/kWh, per hour]
    feed_in_cost: terugleverkosten per exported kWh [EUR/kWh]
    net_metering: True if exports are netted against imports over the year
    net_metering_value: extra credit per netted kWh on top of ``export_price`` [EUR/kWh]
    fixed_monthly: fixed costs [EUR/month]
    demand_rate: capacity tariff incl. VAT [EUR/kW/yr of billed peak] (0 = none); demand_floor_kw: the
    billed floor per month [kW]; demand_peak_factor: billed (quarter-hour) peak over hourly-mean peak [-]
    bare_supply_price: mean import price excl. taxes [EUR/kWh] (for reporting and the feed-in floor)
    """

    year: int
    tariff_type: str
    import_price: np.ndarray
    export_price: np.ndarray
    feed_in_cost: float
    net_metering: bool
    net_metering_value: float
    fixed_monthly: float
    demand_rate: float
    demand_floor_kw: float
    bare_supply_price: float
    demand_peak_factor: float = 1.0

    @property
    def net_export_price(self) -> np.ndarray:
        """Export price after feed-in costs [EUR/kWh]."""
        return self.export_price - self.feed_in_cost

    @property
    def is_flat(self) -> bool:
        """True if import and export prices are constant over the year."""
        return bool(np.ptp(self.import_price) == 0 and np.ptp(self.export_price) == 0)

    @property
    def regime_key(self) -> tuple:
        """Years with equal keys bill identically (before escalation)."""
        return (self.net_metering, float(self.export_price.mean()), float(self.import_price.mean()))


# --- Built-in day-ahead price year ------------------------------------------------------------------------


def reference_day_ahead(country: str = "NL", year: int | None = None) -> np.ndarray:
    """A built-in measured day-ahead year [EUR/kWh excl. taxes, 8760, read-only]: ``year``, or the
    country's latest complete one (NL 2023-2025, BE 2023-2024; see ``reference_data``)."""
    return day_ahead_year(country, latest_price_year(country) if year is None else year)


# --- Resolution per calendar year --------------------------------------------------------------------------


def tax_year(year: int) -> int:
    """The year of the Dutch energy-tax table used for calendar ``year``: the year itself when known,
    else the nearest known one."""
    known = d.NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR
    return min(max(year, min(known)), max(known))


def energy_tax(country: str, year: int) -> float:
    """Energy tax of calendar ``year`` [EUR/kWh, excl. VAT] (``NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR``)."""
    if country == "BE":
        return d.BE_EXCISE_EUR_PER_KWH
    return d.NL_ENERGY_TAX_EUR_PER_KWH_BY_YEAR[tax_year(year)]


def _taxes(country: str, year: int) -> tuple[float, float]:
    """(energy tax [EUR/kWh excl. VAT], VAT [-]) for a country and calendar year."""
    return energy_tax(country, year), d.BE_VAT if country == "BE" else d.NL_VAT


def feed_in_cost(tariff: TariffInput) -> float:
    """Per-kWh feed-in cost [EUR/kWh]: the caller's, else the default of the contract type."""
    if tariff.feed_in_cost_eur_per_kwh is not None:
        return float(tariff.feed_in_cost_eur_per_kwh)
    if tariff.type == "dynamic":
        return d.DEFAULT_FEED_IN_COST_DYNAMIC_EUR_PER_KWH
    return d.DEFAULT_FEED_IN_COST_EUR_PER_KWH


def feed_in_floor_applies(tariff: TariffInput, year: int) -> bool:
    """The Dutch minimum feed-in compensation (2027-2029, every contract type) applies in ``year``."""
    lo, hi = d.NL_FEED_IN_FLOOR_YEARS
    return tariff.country == "NL" and not net_metering_applies(tariff, year) and lo <= year <= hi


def net_metering_applies(tariff: TariffInput, year: int) -> bool:
    """Whether yearly netting applies in calendar ``year``: the caller's explicit choice, else the Dutch
    law (netting up to and including 2026; none in Belgium, where the 'terugdraaiende teller' ended)."""
    if tariff.net_metering is not None:
        return tariff.net_metering
    return tariff.country == "NL" and year <= d.NL_NET_METERING_LAST_YEAR


def resolve_tariff(tariff: TariffInput, year: int, hours: int = HOURS) -> ResolvedTariff:
    """Hourly prices of ``tariff`` in calendar ``year`` (before price escalation) [EUR/kWh]."""
    tax, vat = _taxes(tariff.country, year)
    netting = net_metering_applies(tariff, year)
    if tariff.type == "flat":
        if tariff.taxes_included:
            imp = float(tariff.flat_eur_per_kwh)
            bare = imp / (1 + vat) - tax
        else:
            bare = float(tariff.flat_eur_per_kwh)
            imp = (bare + tax) * (1 + vat)
        exp = float(tariff.feed_in_eur_per_kwh)
        if feed_in_floor_applies(tariff, year):
            exp = max(exp, d.NL_FEED_IN_FLOOR_FRACTION * max(bare, 0.0))
        import_price = np.full(hours, imp)
        export_price = np.full(hours, exp)
        net_value = imp - exp
    elif tariff.type == "dynamic":
        if tariff.day_ahead_eur_per_kwh is not None:
            da = np.asarray(tariff.day_ahead_eur_per_kwh, dtype=float)
            if da.shape != (hours,):
                raise ValueError(f"day_ahead_eur_per_kwh needs {hours} values, got {da.shape}")
        else:
            da = reference_day_ahead(tariff.country, tariff.price_year)[:hours]
        markup = (
            d.DYNAMIC_SUPPLIER_MARKUP_EUR_PER_KWH
            if tariff.supplier_markup_eur_per_kwh is None
            else tariff.supplier_markup_eur_per_kwh
        )
        fee = (
            d.DYNAMIC_FEED_IN_FEE_EUR_PER_KWH
            if tariff.feed_in_fee_eur_per_kwh is None
            else tariff.feed_in_fee_eur_per_kwh
        )
        import_price = (da + markup + tax) * (1 + vat)
        export_price = da - fee
        if feed_in_floor_applies(tariff, year):
            # Hour by hour: at least half of that hour's bare supply price (day-ahead + markup).
            export_price = np.maximum(export_price, d.NL_FEED_IN_FLOOR_FRACTION * (da + markup))
        bare = float(np.mean(da + markup))
        # Netting on a dynamic contract returns the energy tax (with its VAT) on netted kWh.
        net_value = tax * (1 + vat)
    else:
        raise ValueError(f"unknown tariff type {tariff.type!r}")
    if tariff.capacity_tariff:
        rate = (
            capacity.default_rate(year)
            if tariff.capacity_tariff_eur_per_kw_year is None
            else tariff.capacity_tariff_eur_per_kw_year
        ) * (1 + vat)
    else:
        rate = 0.0
    return ResolvedTariff(
        year=year,
        tariff_type=tariff.type,
        import_price=import_price,
        export_price=export_price,
        feed_in_cost=feed_in_cost(tariff),
        net_metering=netting,
        net_metering_value=float(net_value) if netting else 0.0,
        fixed_monthly=float(tariff.fixed_monthly_eur),
        demand_rate=float(rate),
        demand_floor_kw=d.BE_CAPACITY_TARIFF_FLOOR_KW,
        bare_supply_price=float(bare),
        demand_peak_factor=peak_factor(tariff),
    )


def peak_factor(tariff: TariffInput) -> float:
    """Billed quarter-hour peak over hourly-mean peak [-]: the caller's, else ``BE_QUARTER_HOUR_PEAK_FACTOR``."""
    if tariff.capacity_peak_factor is None:
        return d.BE_QUARTER_HOUR_PEAK_FACTOR
    if tariff.capacity_peak_factor < 1:
        # An hour's mean is the mean of its four quarters, so the highest quarter is never below it.
        raise ValueError("capacity_peak_factor must be at least 1")
    return float(tariff.capacity_peak_factor)


# --- Billing --------------------------------------------------------------------------------------------------


def monthly_peaks(grid_import: np.ndarray) -> np.ndarray:
    """Monthly peak of hourly grid import [kW] (12 values; mean power of the peak hour). Works on a 1-D
    series or a (k, hours) batch (returns (k, 12))."""
    x = np.asarray(grid_import, dtype=float)
    starts = month_starts_of(x.shape[-1])
    peaks = np.maximum.reduceat(x, starts, axis=-1)
    if peaks.shape[-1] < 12:
        pad = np.zeros(x.shape[:-1] + (12 - peaks.shape[-1],))
        peaks = np.concatenate([peaks, pad], axis=-1)
    return peaks


def billed_peaks(grid_import: np.ndarray, tariff: ResolvedTariff) -> np.ndarray:
    """Billed monthly peaks [kW] of hourly import: ``demand_peak_factor`` x the month's highest hourly
    mean (the bill's quarter-hour peak), at least ``demand_floor_kw``. (12,) or (k, 12) like
    ``monthly_peaks``."""
    return np.maximum(tariff.demand_peak_factor * monthly_peaks(grid_import), tariff.demand_floor_kw)


def demand_cost(grid_import: np.ndarray, tariff: ResolvedTariff) -> np.ndarray | float:
    """Yearly capacity-tariff cost [EUR/yr]: rate x the 12-month average of the billed monthly peaks
    (``billed_peaks``; in a repeating year the rolling average equals the yearly one)."""
    if tariff.demand_rate == 0:
        return 0.0 if np.ndim(grid_import) == 1 else np.zeros(np.shape(grid_import)[0])
    return tariff.demand_rate * billed_peaks(grid_import, tariff).mean(axis=-1)


def energy_cost(
    grid_import: np.ndarray, grid_export: np.ndarray, tariff: ResolvedTariff
) -> np.ndarray | float:
    """Yearly bill without fixed costs [EUR/yr]: import - export revenue + feed-in costs - netting credit
    + demand charge. Vectorised: (hours,) → float, (k, hours) → (k,)."""
    imp = np.asarray(grid_import, dtype=float)
    exp = np.asarray(grid_export, dtype=float)
    cost = imp @ tariff.import_price - exp @ tariff.net_export_price
    if tariff.net_metering:
        cost = cost - tariff.net_metering_value * np.minimum(imp.sum(axis=-1), exp.sum(axis=-1))
    return cost + demand_cost(imp, tariff)


def bill(grid_import: np.ndarray, grid_export: np.ndarray, tariff: ResolvedTariff) -> BillBreakdown:
    """Full yearly bill with its monthly energy / demand / fixed parts [EUR]."""
    imp = np.asarray(grid_import, dtype=float)
    exp = np.asarray(grid_export, dtype=float)
    months = month_index_of(imp.shape[0])
    m_import = np.bincount(months, weights=imp * tariff.import_price, minlength=12)
    m_revenue = np.bincount(months, weights=exp * tariff.export_price, minlength=12)
    m_fee = np.bincount(months, weights=exp * tariff.feed_in_cost, minlength=12)
    credit = 0.0
    m_credit = np.zeros(12)
    if tariff.net_metering:
        credit = tariff.net_metering_value * min(imp.sum(), exp.sum())
        m_exp = np.bincount(months, weights=exp, minlength=12)
        if m_exp.sum() > 0:
            m_credit = credit * m_exp / m_exp.sum()
    demand = float(demand_cost(imp, tariff))
    m_demand = np.full(12, demand / 12.0)
    m_fixed = np.full(12, tariff.fixed_monthly)
    m_energy = m_import - m_revenue + m_fee - m_credit
    total = float(m_energy.sum() + demand + m_fixed.sum())
    return BillBreakdown(
        import_cost=float(m_import.sum()),
        feed_in_revenue=float(m_revenue.sum()),
        feed_in_cost=float(m_fee.sum()),
        net_metering_credit=float(credit),
        demand_cost=demand,
        fixed_cost=float(m_fixed.sum()),
        total=total,
        monthly_energy=tuple(float(x) for x in m_energy),
        monthly_demand=tuple(float(x) for x in m_demand),
        monthly_fixed=tuple(float(x) for x in m_fixed),
    )


# --- Levelised contract for the sizing ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LevelisedTariff:
    """The analysis period's contracts folded into one equivalent year: ``terms`` are (weight, tariff)
    with weight = CRF x sum over the regime's years of (1+escalation)^(y-1) / (1+rate)^y [-], so the
    weighted yearly cost is the annuity of the discounted lifecycle energy cost [EUR/yr]."""

    terms: tuple[tuple[float, ResolvedTariff], ...]
    yearly: tuple[ResolvedTariff, ...] = ()
    """The contract of each analysis year 1..N (empty when built by hand), so that other yearly weights
    (the lifecycle weights of ``sizing``) can be folded over the same contracts."""

    def energy_cost(self, grid_import: np.ndarray, grid_export: np.ndarray) -> np.ndarray | float:
        """Levelised yearly energy cost [EUR/yr] (vectorised like ``energy_cost``): the linear part with
        the folded hourly weights, then each regime's netting credit and the demand charge."""
        imp = np.asarray(grid_import, dtype=float)
        exp = np.asarray(grid_export, dtype=float)
        cost = imp @ self.import_weights - exp @ self.export_weights
        netting = [(w, t) for w, t in self.terms if t.net_metering]
        if netting:
            netted = np.minimum(imp.sum(axis=-1), exp.sum(axis=-1))
            cost = cost - sum(w * t.net_metering_value for w, t in netting) * netted
        rate = self.demand_rate
        if rate > 0:
            peaks = np.maximum(monthly_peaks(imp), self.demand_floor_kw)
            cost = cost + rate * peaks.mean(axis=-1)
        return cost

    @cached_property
    def import_weights(self) -> np.ndarray:
        """Hourly weight of one imported kWh [EUR/kWh] (linear part)."""
        return sum(w * t.import_price for w, t in self.terms)

    @cached_property
    def export_weights(self) -> np.ndarray:
        """Hourly value of one exported kWh after feed-in costs [EUR/kWh] (linear part)."""
        return sum(w * t.net_export_price for w, t in self.terms)

    @property
    def demand_rate(self) -> float:
        """Levelised capacity tariff per kW of the HOURLY-mean monthly peak [EUR/kW/yr]: the billed rate x
        the quarter-hour peak factor f. With ``demand_floor_kw`` = billed floor / f this bills exactly
        rate x max(f x peak, floor) = f x rate x max(peak, floor / f), so the sizing's terms (the dispatch
        limit, the subgradients, the reference LP) work on hourly import without knowing f."""
        return float(sum(w * t.demand_rate * t.demand_peak_factor for w, t in self.terms))

    @property
    def demand_floor_kw(self) -> float:
        """The billed floor in hourly-mean import [kW]: floor / quarter-hour peak factor."""
        t = self.terms[0][1]
        return t.demand_floor_kw / t.demand_peak_factor

    @property
    def has_net_metering(self) -> bool:
        return any(t.net_metering and w > 0 for w, t in self.terms)

    @property
    def is_flat(self) -> bool:
        return all(t.is_flat for _, t in self.terms)

    @property
    def fixed_yearly(self) -> float:
        return float(sum(w * 12 * t.fixed_monthly for w, t in self.terms))


def capital_recovery_factor(rate: float, years: int) -> float:
    """CRF = r (1+r)^n / ((1+r)^n - 1) [1/yr]; 1/n when r = 0."""
    if rate == 0:
        return 1.0 / years
    g = (1 + rate) ** years
    return rate * g / (g - 1)


def tariffs_by_year(
    tariff: TariffInput, first_year: int, years: int, hours: int = HOURS
) -> list[ResolvedTariff]:
    """Resolved contract for each analysis year 1..N (calendar ``first_year`` + i), sharing objects
    between years with the same regime."""
    cache: dict[tuple, ResolvedTariff] = {}
    out = []
    for i in range(years):
        year = first_year + i
        key = (
            net_metering_applies(tariff, year),
            feed_in_floor_applies(tariff, year),
            tax_year(year),
            capacity.rate_year(year),
        )
        if key not in cache:
            cache[key] = resolve_tariff(tariff, year, hours)
        out.append(cache[key])
    return out


def levelise(
    tariff: TariffInput,
    first_year: int,
    years: int,
    discount_rate: float,
    escalation: float,
    hours: int = HOURS,
) -> LevelisedTariff:
    """Fold the yearly contracts of the analysis period into a ``LevelisedTariff``."""
    crf = capital_recovery_factor(discount_rate, years)
    yearly = tariffs_by_year(tariff, first_year, years, hours)
    weights = [crf * (1 + escalation) ** (y - 1) / (1 + discount_rate) ** y for y in range(1, years + 1)]
    return fold_years(yearly, weights)


def fold_years(yearly: list[ResolvedTariff], weights: list[float]) -> LevelisedTariff:
    """``LevelisedTariff`` with one weight per analysis year [-]: years sharing a contract object are
    summed into one term."""
    summed: dict[int, float] = {}
    objs: dict[int, ResolvedTariff] = {}
    for w, t in zip(weights, yearly, strict=True):
        summed[id(t)] = summed.get(id(t), 0.0) + w
        objs[id(t)] = t
    return LevelisedTariff(terms=tuple((summed[k], objs[k]) for k in summed), yearly=tuple(yearly))
