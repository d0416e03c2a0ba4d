"""The homeowner's share page section "your system this year": the last twelve months of the dossier's
installed system in plain words (no ratio, coverage or band jargon), read through ``selectors``.

Each month compares what the panels produced with what was expected for the hours that have readings
(``expected_*_kwh x covered_share``, as the installer's figures do), so a month with a short outage is not
shown as a poor month; a month without enough data is said to be not counted, never shown as zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.monitoring import selectors
from apps.monitoring.figures import since_installation

LAST_MONTHS = 12


@dataclass(frozen=True)
class HomeownerMonth:
    """One month for the homeowner: produced [kWh, None without readings], the expected range for the
    hours with readings [kWh], the verdict (``above`` | ``as_expected`` | ``below`` | ``no_data`` |
    ``running``), and the bar's geometry in percent of the section's scale (band from/width, produced)."""

    month: dt.date
    produced_kwh: float | None
    expected_low_kwh: float
    expected_high_kwh: float
    verdict: str
    band_from_pct: float
    band_width_pct: float
    produced_pct: float | None


@dataclass(frozen=True)
class HomeownerYear:
    """The section: its months (oldest first) and, over the judged months since installation, the produced
    share of expected [%] (None before any month is judged)."""

    months: tuple[HomeownerMonth, ...]
    percent_of_expected: float | None


def _verdict(m) -> str:
    if m.status == "running":
        return "running"
    if m.status == "missing":
        return "no_data"
    if m.status == "low":
        return "below"
    return "above" if m.actual_kwh > m.expected_high_kwh * m.covered_share else "as_expected"


def homeowner_months(months) -> HomeownerYear:
    """The last ``LAST_MONTHS`` of stored (or computed) month figures for the homeowner."""
    recent = list(months)[-LAST_MONTHS:]
    scale = max([m.expected_high_kwh * m.covered_share for m in recent] + [m.actual_kwh or 0 for m in recent])
    pct = (lambda kwh: 100.0 * kwh / scale) if scale > 0 else (lambda kwh: 0.0)
    rows = tuple(
        HomeownerMonth(
            month=m.month,
            produced_kwh=m.actual_kwh,
            expected_low_kwh=m.expected_low_kwh * m.covered_share,
            expected_high_kwh=m.expected_high_kwh * m.covered_share,
            verdict=_verdict(m),
            band_from_pct=pct(m.expected_low_kwh * m.covered_share),
            band_width_pct=pct((m.expected_high_kwh - m.expected_low_kwh) * m.covered_share),
            produced_pct=None if m.actual_kwh is None else pct(m.actual_kwh),
        )
        for m in recent
    )
    ratio = since_installation(months).ratio
    return HomeownerYear(rows, None if ratio is None else round(100.0 * ratio))


def homeowner_year(*, dossier) -> HomeownerYear | None:
    """The section for a shared scan's dossier, or None when it has no installed design or no month yet."""
    if dossier is None or selectors.installed_design_of(dossier=dossier) is None:
        return None
    months = list(selectors.performance_months(dossier=dossier))
    return homeowner_months(months) if months else None
