"""When an installation underperforms (pure: month figures in, a finding or None out).

An alert holds while the latest judged month is below the band's low edge and either
* ``consecutive``: the month before it was below too (two in a row; a month without enough data breaks
  the run, it is no evidence either way), or
* ``first-year``: the installation's first full year (the twelve months after the installation month) is
  judged in full and its total is below the lowest weather year's total for those months.
Once a month is back within the band, the finding is gone and the alert clears. Months whose data is
missing at the end change nothing: the last judged month still decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.monitoring.figures import MonthFigures


@dataclass(frozen=True)
class Finding:
    """Rule that fired, first month of the shortfall, and how far below expected typical [%]."""

    rule: str
    since_month: dt.date
    shortfall_pct: float


def _shortfall_pct(months: list[MonthFigures]) -> float:
    expected = sum(m.expected_covered_kwh for m in months)
    return 100.0 * (1.0 - sum(m.actual_kwh for m in months) / expected) if expected > 0 else 0.0


def _low_run(months: list[MonthFigures]) -> list[MonthFigures]:
    """The run of low months ending at the latest judged month (trailing missing/running months skipped)."""
    finished = [m for m in months if m.status != "running"]
    while finished and finished[-1].status == "missing":
        finished.pop()
    run = []
    for month in reversed(finished):
        if month.status != "low":
            break
        run.append(month)
    return run[::-1]


def first_full_year(months: list[MonthFigures]) -> list[MonthFigures] | None:
    """The twelve months after the installation month, once all are judged; else None."""
    year = months[1:13]
    return year if len(year) == 12 and all(m.judged for m in year) else None


def finding(months: list[MonthFigures], first_year_low_kwh: float | None) -> Finding | None:
    """The alert that holds now, or None. ``first_year_low_kwh``: the lowest weather year's total over
    ``first_full_year(months)``, for their covered hours [kWh] (None while that year is not judged)."""
    run = _low_run(months)
    if len(run) >= 2:
        return Finding("consecutive", run[0].month, _shortfall_pct(run))
    year = first_full_year(months)
    if run and year is not None and first_year_low_kwh is not None:
        if sum(m.actual_kwh for m in year) < first_year_low_kwh:
            return Finding("first-year", year[0].month, _shortfall_pct(year))
    return None
