"""Household electricity load on the time base [kWh per hour].

``standard_shape()``: the BDEW H25 household standard load profile (demandlib) for a calendar year and
country (that year's weekdays and public holidays; default the reference year, NL), hourly, normalised
to sum 1. A scan passes its weather year, so weekends and holidays fall on the days its sun and prices
do. A standard profile is the mean of very many households, so it is far
smoother than any one home: simulated hourly against PV it overstates self-sufficiency by several
points (the evening, night and morning dips of a real home do not coincide with the sun as well as
the average does, and its peaks exceed what a battery's share of the sun can cover).

``household_profile()``: a seeded stochastic single household whose expectation is the standard shape.
Per hour ``h`` of day ``d``, with ``s_h`` the standard shape and ``E`` the yearly energy:

* steady part ``β · E · s_h`` (LOAD_BASE_SHARE; fridge, standby, ventilation);
* behavioural part ``(1-β-α) · E · s_h · D_d · N_h``: ``D_d`` a day activity factor (lognormal, mean 1,
  AR(1) across days) and ``N_h`` hourly lognormal noise (mean 1, AR(1) within the day);
* appliance events: Poisson with rate ``α · E · s_h · D_d / ē`` per hour, each of Gamma-distributed
  energy with mean ``ē`` (LOAD_APPLIANCE_EVENT_KWH) falling in that hour;

then scaled to exactly ``E``. Each part's expectation is proportional to ``s_h`` and ``D_d`` has mean 1,
so before that final scaling ``E[load_h] = E · s_h``: the standard profile.

Calibration (``tests/engine/test_load.py``): against HTW Berlin's Unabhängigkeitsrechner (Weniger,
Quaschning; https://solar.htw-berlin.de/rechner/unabhaengigkeitsrechner/), for 4000 kWh/yr and
1 kWp/MWh PV at its German yield of 1024 kWh/kWp it gives 30.5 % self-sufficiency without a battery
and 55.5 % with 1 kWh/MWh usable battery. We compare at equal PV energy (kWp scaled by
1024 / our yield) on the offline De Bilt weather; the constants in ``defaults.py`` bring both within
±3 points (measured values in the test module's docstring).

``reconstruct_gross_load()``: for a home with existing PV whose bill shows net grid import and export
(the hourly meter data case is ``apps.engine.reconstruction``).
``validate_profile()``: checks an arbitrary 8760 series (a studio profile).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from dateutil.easter import easter
from scipy import optimize, signal

from apps.engine import defaults as d
from apps.engine.timebase import DAYS, HOURS

LOAD_CALENDAR_COUNTRIES = ("NL", "BE")
"""Countries whose public-holiday calendar the load profile knows [-]."""


def public_holidays(year: int, country: str = "NL") -> tuple[date, ...]:
    """Public holidays of ``year`` in ``country`` ("NL" or "BE") that the load profile treats as Sundays.

    From the ``holidays`` package (its public category). NL: Good Friday is left out, it is no general
    day off (rijksoverheid.nl 'Officiële feestdagen'); Liberation Day counts in lustrum years only, as
    the package has it. For 2025 this gives the dates the engine used before it followed the year.
    """
    import holidays  # imported only when a profile is built

    if country not in LOAD_CALENDAR_COUNTRIES:
        raise ValueError(f"load calendar country must be one of {LOAD_CALENDAR_COUNTRIES}, got {country!r}")
    days = set(holidays.country_holidays(country, years=int(year)))
    if country == "NL":
        days.discard(easter(int(year)) - timedelta(days=2))  # Good Friday
    return tuple(sorted(day for day in days if day.weekday() != 6))  # a Sunday holiday is a Sunday already


@lru_cache(maxsize=16)
def standard_shape(year: int | None = None, country: str = "NL") -> np.ndarray:
    """BDEW H25 household profile for calendar ``year`` (default the reference year) with ``country``'s
    public holidays as Sundays, hourly on the time base, summing to 1 [-] (read-only).

    Computed with demandlib on 15-minute steps (its native resolution) over the real calendar year and
    averaged per hour; in a leap year 29 February is dropped, as the weather and price years are.
    """
    from demandlib import bdew  # heavy import: only when first needed

    year = d.REFERENCE_YEAR if year is None else int(year)
    index = pd.date_range(f"{year}-01-01 00:00", f"{year + 1}-01-01 00:00", freq="15min", inclusive="left")
    holidays = list(public_holidays(year, country))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # demandlib's pandas code paths warn under pandas 3
        profile = bdew.H25(index, holidays=holidays)
    values = np.asarray(profile, dtype=float)[~((index.month == 2) & (index.day == 29))]
    if values.shape != (HOURS * 4,) or not np.all(np.isfinite(values)):
        raise RuntimeError("demandlib returned an unexpected H25 profile")
    hourly = values.reshape(HOURS, 4).mean(axis=1)
    shape = hourly / hourly.sum()
    shape.flags.writeable = False
    return shape


def standard_load(yearly_kwh: float, year: int | None = None, country: str = "NL") -> np.ndarray:
    """The smooth standard profile scaled to ``yearly_kwh`` [kWh per hour] (mean of many homes)."""
    _check_yearly(yearly_kwh)
    return standard_shape(year, country) * float(yearly_kwh)


def _check_yearly(yearly_kwh: float) -> None:
    if not np.isfinite(yearly_kwh) or yearly_kwh < 0:
        raise ValueError(f"yearly consumption must be a finite number ≥ 0 kWh, got {yearly_kwh}")


def _ar1_lognormal(rng: np.random.Generator, shape: tuple[int, int], sigma: float, rho: float) -> np.ndarray:
    """Mean-one lognormal factors with AR(1) log-correlation ``rho`` along the last axis."""
    eps = rng.standard_normal(shape)
    drive = np.sqrt(1.0 - rho * rho) * eps
    drive[:, 0] = eps[:, 0]  # stationary start
    z = signal.lfilter([1.0], [1.0, -rho], drive, axis=-1)
    return np.exp(sigma * z - 0.5 * sigma * sigma)


@lru_cache(maxsize=16)
def _household_shape(seed: int, year: int | None = None, country: str = "NL") -> np.ndarray:
    """Stochastic single-household profile summing to 1 [-] (see module docstring); the random draws
    depend on ``seed`` only, the calendar (``year``, ``country``) on the standard shape."""
    shape = standard_shape(year, country)
    rng = np.random.default_rng(seed)
    base_share = d.LOAD_BASE_SHARE
    event_share = d.LOAD_APPLIANCE_SHARE
    noise_share = 1.0 - base_share - event_share
    day = _ar1_lognormal(rng, (1, DAYS), d.LOAD_DAY_SIGMA, d.LOAD_DAY_CORRELATION)[0]
    day_h = np.repeat(day, 24)
    noise = _ar1_lognormal(rng, (DAYS, 24), d.LOAD_NOISE_SIGMA, d.LOAD_NOISE_CORRELATION).reshape(HOURS)
    noise = np.minimum(noise, d.LOAD_NOISE_MAX)  # trims a tail (~0.1 % of the mean) so hours stay physical
    # Appliance events for a reference home of REFERENCE_EVENT_HOME_KWH: the event size is physical
    # (kWh), so the event count scales with the home's consumption; the shape is then normalised.
    reference_kwh = d.LOAD_REFERENCE_HOME_KWH
    rate = event_share * reference_kwh * shape * day_h / d.LOAD_APPLIANCE_EVENT_KWH
    counts = rng.poisson(rate)
    # Event energies are Gamma(κ, ē/κ) (mean ē); the sum of k events is Gamma(k·κ, ē/κ).
    kappa = d.LOAD_APPLIANCE_EVENT_SHAPE
    scale = d.LOAD_APPLIANCE_EVENT_KWH / kappa
    events = np.where(counts > 0, rng.gamma(kappa * np.maximum(counts, 1), scale), 0.0)
    profile = reference_kwh * shape * (base_share + noise_share * day_h * noise) + events
    out = profile / profile.sum()
    out.flags.writeable = False
    return out


def household_profile(
    yearly_kwh: float, seed: int = d.HOUSEHOLD_LOAD_SEED, year: int | None = None, country: str = "NL"
) -> np.ndarray:
    """A realistic single household's hourly load [kWh per hour], summing exactly to ``yearly_kwh``.

    Its expectation over seeds is the standard (BDEW H25) profile of calendar ``year`` in ``country``;
    ``seed`` fixes the realisation.
    """
    _check_yearly(yearly_kwh)
    return _household_shape(int(seed), year, country) * float(yearly_kwh)


def load_profile(
    yearly_kwh: float,
    profile: str = "standard",
    seed: int = d.HOUSEHOLD_LOAD_SEED,
    *,
    year: int | None = None,
    country: str = "NL",
) -> np.ndarray:
    """Hourly load for the scan's ``loadProfile`` name [kWh per hour].

    ``"standard"`` (the product default) is the calibrated single household; ``"smooth"`` is the bare
    standard profile (the average of many homes, for comparisons). ``year``/``country``: the calendar.
    """
    if profile == "standard":
        return household_profile(yearly_kwh, seed, year, country)
    if profile == "smooth":
        return standard_load(yearly_kwh, year, country)
    raise ValueError(f"unknown load profile {profile!r}; expected 'standard' or 'smooth'")


def validate_profile(values: np.ndarray | list[float], name: str = "load profile") -> np.ndarray:
    """Check an hourly profile (8760 finite values ≥ 0) [kWh per hour]; returns a float copy."""
    array = np.array(values, dtype=float)
    if array.ndim != 1 or array.shape[0] != HOURS:
        raise ValueError(f"{name} must have {HOURS} hourly values, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains non-finite values")
    if np.any(array < 0):
        raise ValueError(f"{name} contains negative values")
    return array


@dataclass(frozen=True, eq=False)
class BillReconstruction:
    """gross: hourly gross consumption [kWh/h]; pv_factor: factor on the existing PV's simulated
    production [-]; import_kwh/export_kwh: what the hourly model then imports/exports in a year [kWh];
    warning: set when the bill cannot be reproduced within the factor's bounds."""

    gross: np.ndarray
    pv_factor: float
    import_kwh: float
    export_kwh: float
    warning: str | None


def _netted(gross: np.ndarray, pv: np.ndarray) -> tuple[float, float]:
    net = gross - pv
    return float(np.maximum(net, 0.0).sum()), float(np.maximum(-net, 0.0).sum())


def reconstruct_gross_load(
    import_kwh: float,
    export_kwh: float,
    pv_kwh: np.ndarray,
    *,
    import_shape: np.ndarray | None = None,
    seed: int = d.HOUSEHOLD_LOAD_SEED,
    fit_pv: bool = True,
    year: int | None = None,
    country: str = "NL",
) -> BillReconstruction:
    """Hourly gross consumption [kWh per hour] of a home with PV, from its bill and simulated PV.

    import_kwh: yearly grid import on the bill (``yearlyKwh``) [kWh]; export_kwh: yearly export
    (``yearlyExportKwh``) [kWh]; pv_kwh: simulated hourly production of the existing PV [kWh].

    Method: the household keeps a household's shape (``import_shape``, default the calibrated single
    household ``s``) and the yearly energy balance fixes its size: ``gross = (I + k·ΣP − E) · s``. The
    one unknown is ``k``, the factor between the existing panels' real and simulated yield (shading,
    soiling, an older inverter, or a wrong description): it is chosen (Brent's method) so that the hourly
    model of today's home, ``import_h = max(gross_h − k·P_h, 0)`` and ``export_h = max(k·P_h − gross_h,
    0)``, exports the bill's ``E``; the balance then makes it import the bill's ``I`` too. ``k`` is bounded
    by ``EXISTING_PV_SCALE_RANGE``; when the bill needs a factor outside it (e.g. 4 kWp exporting only
    800 kWh would mean 79 % self-consumption without a battery — no household's shape does that), ``k``
    is clipped, the baseline differs from the bill and ``warning`` says by how much. With
    ``fit_pv=False`` (the production was measured) ``k = 1`` and only the closeness is reported.

    Why not spread the export by the PV shape (the earlier method): that makes the load follow the sun
    (correlation 0.77 with the PV output) and the re-simulated home imports/exports far less than the
    bill (2,919/219 instead of 3,500/800 kWh), inflating savings. Checked in ``tests/engine``: correlation
    of the gross load with the PV output stays that of the household shape (|r| < 0.2).
    """
    _check_yearly(import_kwh)
    _check_yearly(export_kwh)
    pv = validate_profile(pv_kwh, "PV production")
    shape = (
        validate_profile(import_shape, "import shape")
        if import_shape is not None
        else _household_shape(seed, year, country)
    )
    total = float(shape.sum())
    if total <= 0:
        raise ValueError("import shape must have a positive sum")
    shape = shape / total
    pv_total = float(pv.sum())
    if pv_total <= 0:
        gross = import_kwh * shape
        return BillReconstruction(gross, 1.0, *_netted(gross, pv), warning=None)

    def model(k: float) -> tuple[np.ndarray, float, float]:
        gross = max(import_kwh + k * pv_total - export_kwh, 0.0) * shape
        return gross, *_netted(gross, k * pv)

    lo, hi = d.EXISTING_PV_SCALE_RANGE
    if export_kwh > hi * pv_total:
        raise ValueError(
            f"yearly export {export_kwh:.0f} kWh exceeds what the existing PV can produce ({hi:g} × its "
            f"simulated {pv_total:.0f} kWh); check the existing arrays or the export figure"
        )
    k = 1.0
    if fit_pv:
        gap_lo, gap_hi = model(lo)[2] - export_kwh, model(hi)[2] - export_kwh
        if gap_lo >= 0:
            k = lo
        elif gap_hi <= 0:
            k = hi
        else:
            k = float(optimize.brentq(lambda x: model(x)[2] - export_kwh, lo, hi, xtol=1e-6))
    gross, sim_import, sim_export = model(k)
    warning = None
    if abs(sim_export - export_kwh) > 0.02 * max(export_kwh, 1.0) or abs(
        sim_import - import_kwh
    ) > 0.02 * max(import_kwh, 1.0):
        warning = (
            f"the bill ({import_kwh:.0f} kWh bought, {export_kwh:.0f} kWh exported) cannot be reproduced by a "
            f"household's hourly shape with the existing PV at {k:.2f}× its simulated yield; the baseline buys "
            f"{sim_import:.0f} and exports {sim_export:.0f} kWh. Check the existing PV and the export figure"
        )
    return BillReconstruction(gross, k, sim_import, sim_export, warning)
