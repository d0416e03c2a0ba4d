"""Time handling: local wall time -> UTC, regular grids, gap filling, hourly standard time, reference year.

All instants are int64 seconds since the Unix epoch (UTC) unless a name says ``local`` (wall-clock
seconds, i.e. the local date and time read as if it were UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from . import errors
from .constants import (
    DAILY_RESOLUTION_MIN,
    DAYS_IN_MONTH,
    DAYS_PER_YEAR,
    HOURS_PER_YEAR,
    LOCAL_TZ,
    MAX_HISTORY_DAYS,
    MIN_COVERAGE_DAYS,
    MONTHLY_SHARE_CONSUMPTION,
    MONTHLY_SHARE_EXPORT,
    NEIGHBOUR_WEEKS,
    SHORT_GAP_MAX_MIN,
    STANDARD_OFFSET_S,
    STANDARD_TIME,
    SUPPORTED_RESOLUTIONS_MIN,
)
from .errors import MeterFileError
from .result import Figure, Gap, GapReport, MeterSeries, Note, ParsedMeterFile

HOUR_S = 3600
DAY_S = 86400
_CUM_DAYS = np.concatenate([[0], np.cumsum(DAYS_IN_MONTH)])


# --------------------------------------------------------------------------------------------------
# Local wall time -> UTC


def local_to_utc(local_s: np.ndarray, group: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    """Convert wall-clock seconds in Europe/Brussels (= Amsterdam) time to UTC seconds.

    Ambiguous times (the repeated hour of the autumn change) are resolved by order of appearance
    within ``group`` (e.g. the register): the first occurrence is summer time (UTC+2), the second
    winter time (UTC+1). Non-existent times (the skipped spring hour) are read as standard time
    (UTC+1); they are counted so the caller can warn.
    """
    local_s = np.asarray(local_s, dtype=np.int64)
    uniq, inverse = np.unique(local_s, return_inverse=True)
    idx = pd.DatetimeIndex(uniq.astype("datetime64[s]"))
    first = idx.tz_localize(LOCAL_TZ, ambiguous="NaT", nonexistent="NaT")
    utc_u = first.as_unit("s").asi8.copy()
    nat = np.asarray(first.isna())
    info = {"ambiguous_rows": 0, "nonexistent_rows": 0, "repeated_rows": 0}
    if not nat.any():
        return utc_u[inverse], info
    second = idx[nat].tz_localize(LOCAL_TZ, ambiguous=np.ones(int(nat.sum()), dtype=bool), nonexistent="NaT")
    amb_u = np.zeros(len(uniq), dtype=bool)
    amb_u[np.flatnonzero(nat)[~np.asarray(second.isna())]] = True
    nonexist_u = nat & ~amb_u
    # non-existent: read as standard time
    utc_u[nonexist_u] = uniq[nonexist_u] - STANDARD_OFFSET_S
    utc = utc_u[inverse]
    info["nonexistent_rows"] = int(nonexist_u[inverse].sum())
    rows = np.flatnonzero(amb_u[inverse])
    if len(rows):
        keys = pd.DataFrame({"t": inverse[rows]})
        if group is not None:
            keys["g"] = np.asarray(group)[rows]
        occurrence = keys.groupby(list(keys.columns), sort=False).cumcount().to_numpy()
        summer = occurrence == 0
        utc[rows] = np.where(summer, local_s[rows] - 2 * HOUR_S, local_s[rows] - HOUR_S)
        info["ambiguous_rows"] = len(rows)
        info["repeated_rows"] = int((occurrence >= 2).sum())
    return utc, info


def dst_warnings(info: dict) -> list[str]:
    out = []
    if info.get("nonexistent_rows"):
        out.append(
            f"{info['nonexistent_rows']} rows carry a clock time that does not exist (the hour skipped when "
            "summer time starts); they were read as standard time."
        )
    if info.get("repeated_rows"):
        out.append(
            f"{info['repeated_rows']} rows repeat a timestamp more than the autumn clock change allows; "
            "their values were added up."
        )
    return out


# --------------------------------------------------------------------------------------------------
# Resolution and regular grids


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values. Sorting and dropping repeats, not ``np.unique``: numpy 2.4 answers a plain
    ``np.unique`` of int64 through a hash table that took 2.4 s for the 10^6 instants of a minute file,
    against 0.1 s for a sort (benchmarks/meterfiles_bench.py, the 10^6-line case)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


def detect_step(times_s: np.ndarray) -> int:
    """Typical spacing [s] of the given instants (median of the gaps between distinct instants)."""
    uniq = _distinct_sorted(np.asarray(times_s))
    if len(uniq) < 2:
        raise MeterFileError(
            errors.NO_DATA,
            Note(
                "The file holds a single timestamp, so it has no consumption history. Export at least a few "
                "weeks (preferably a full year) of hourly or 15-minute data."
            ),
        )
    return int(np.median(np.diff(uniq)))


def check_step(step_s: int) -> int:
    """Validate a resolution [s]; returns it in minutes or raises (daily / unsupported)."""
    minutes = step_s / 60
    if minutes >= DAILY_RESOLUTION_MIN:
        raise MeterFileError(
            errors.DAILY,
            Note(
                "This file has one value per day (or less often). A solar and battery sizing needs at least "
                "hourly values: export the hourly or 15-minute (kwartier) history instead."
            ),
        )
    rounded = int(round(minutes))
    if abs(minutes - rounded) > 1e-9 or rounded not in SUPPORTED_RESOLUTIONS_MIN:
        raise MeterFileError(
            errors.UNSUPPORTED_RESOLUTION,
            Note(
                "The rows are %(minutes)s minutes apart; expected 15-minute or hourly values (any step that "
                "divides an hour).",
                {"minutes": f"{minutes:g}"},
            ),
        )
    return rounded


def trim_history(times_s: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Mask of instants worth keeping: the most recent MAX_HISTORY_DAYS days (older data is never used,
    since only the most recent 365 days become the profile) and a warning when something was dropped."""
    latest = times_s.max()
    cutoff = latest - MAX_HISTORY_DAYS * DAY_S
    keep = times_s >= cutoff
    if keep.all():
        return keep, []
    first = _std(int(times_s.min()))
    return keep, [
        f"Data before {_std(int(cutoff)):%Y-%m-%d} (the file starts {first:%Y-%m-%d}) was not read: only the "
        "most recent year is used."
    ]


@dataclass
class KnownTotals:
    """Gaps of cumulative data whose energy is known: slots [start, end) hold ``total`` kWh."""

    start: np.ndarray
    end: np.ndarray
    total: np.ndarray


@dataclass
class Grid:
    """Interval values on a regular UTC grid, padded to whole hours; NaN = missing."""

    format: str
    step_s: int
    t0_s: int
    imp: np.ndarray
    exp: np.ndarray | None
    source_total_import_kwh: float
    source_total_export_kwh: float | None
    known_imp: KnownTotals | None = None
    known_exp: KnownTotals | None = None
    warnings: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)


def grid_bounds(times_s: np.ndarray, step_s: int, last_end_s: int | None = None) -> tuple[int, int]:
    """Grid start [s] and number of slots covering ``times_s`` (interval starts), padded to whole hours."""
    t0 = int(times_s.min()) // HOUR_S * HOUR_S
    end = int(times_s.max()) + step_s if last_end_s is None else last_end_s
    end = -(-end // HOUR_S) * HOUR_S
    return t0, (end - t0) // step_s


def intervals_to_grid(times_s: np.ndarray, values: np.ndarray, t0: int, n: int, step_s: int) -> np.ndarray:
    """Sum interval values into grid slots; a slot with no value (or only NaN) stays NaN."""
    slot = (times_s - t0) // step_s
    ok = ~np.isnan(values)
    present = np.bincount(slot[ok], minlength=n) > 0
    sums = np.bincount(slot[ok], weights=values[ok], minlength=n)
    return np.where(present, sums, np.nan)


def cumulative_to_grid(
    times_s: np.ndarray, readings: np.ndarray, t0: int, n: int, step_s: int
) -> tuple[np.ndarray, KnownTotals, int]:
    """Interval energy from cumulative readings (instants ``times_s``, sorted, unique).

    A step between consecutive valid readings one slot apart gives that slot's energy; a longer step
    leaves its slots missing but records their total (known from the two readings). A decreasing
    reading (meter reset or replacement) leaves the slots missing with an unknown total.
    Returns the grid, the known totals and the number of decreases.
    """
    ok = ~np.isnan(readings)
    t = times_s[ok]
    r = readings[ok]
    grid = np.full(n, np.nan)
    empty = KnownTotals(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if len(t) < 2:
        return grid, empty, 0
    s = (t[:-1] - t0) // step_s
    e = (t[1:] - t0) // step_s
    delta = np.diff(r)
    resets = delta < 0
    single = (e - s == 1) & ~resets
    grid[s[single]] = delta[single]
    multi = (e - s > 1) & ~resets
    known = KnownTotals(s[multi].astype(np.int64), e[multi].astype(np.int64), delta[multi])
    return grid, known, int(resets.sum())


# --------------------------------------------------------------------------------------------------
# Gap filling


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) indices of the runs of True in ``mask``."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _expand(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All indices of the ranges [start, end) and, for each, the number of its range."""
    lengths = ends - starts
    run = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return starts[run] + offsets, run


def fill_gaps(values: np.ndarray, step_s: int, t0_s: int, known: KnownTotals | None) -> np.ndarray:
    """Fill NaN slots of interval energies; returns a new array.

    Method (in this order):
    1. gaps up to SHORT_GAP_MAX_MIN: linear interpolation between the values either side;
    2. longer gaps: weighted mean of the same slot (same weekday, same time) 1..NEIGHBOUR_WEEKS weeks
       before and after, weight 1/k for k weeks away, using measured values only;
    3. still empty (no neighbour week measured): mean of the same time of day over the whole file;
       failing that, the mean of all measured slots;
    4. gaps whose energy is known from cumulative readings are then rescaled to that energy (spread
       evenly if the estimate is zero), so totals stay those of the meter.
    """
    out = values.copy()
    missing = np.isnan(values)
    if not missing.any():
        return out
    valid = ~missing
    if not valid.any():
        out[:] = 0.0
        return out
    n = len(values)
    starts, ends = _runs(missing)
    lengths = ends - starts
    pos, run = _expand(starts, ends)
    # 1. short interior gaps: linear
    short_max = max(1, SHORT_GAP_MAX_MIN * 60 // step_s)
    interior = (starts > 0) & (ends < n)
    short_run = (lengths <= short_max) & interior
    is_short = short_run[run]
    if is_short.any():
        xv = np.flatnonzero(valid)
        out[pos[is_short]] = np.interp(pos[is_short], xv, values[xv])
    # 2. neighbour weeks
    long_pos = pos[~is_short]
    if len(long_pos):
        week = 7 * DAY_S // step_s
        ks = np.array([k for j in range(1, NEIGHBOUR_WEEKS + 1) for k in (j, -j)])
        cand = long_pos[:, None] + ks[None, :] * week
        inside = (cand >= 0) & (cand < n)
        vals = np.where(inside, values[np.clip(cand, 0, n - 1)], np.nan)
        w = np.where(np.isnan(vals), 0.0, 1.0 / np.abs(ks)[None, :])
        wsum = w.sum(axis=1)
        est = np.where(
            wsum > 0, np.nansum(np.nan_to_num(vals) * w, axis=1) / np.where(wsum > 0, wsum, 1), np.nan
        )
        # 3. same time of day, then overall mean
        per_day = DAY_S // step_s
        slot_of_day = ((t0_s + STANDARD_OFFSET_S) // step_s + np.arange(n)) % per_day
        cnt = np.bincount(slot_of_day[valid], minlength=per_day)
        tot = np.bincount(slot_of_day[valid], weights=values[valid], minlength=per_day)
        tod = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)
        fallback = tod[slot_of_day[long_pos]]
        fallback = np.where(np.isnan(fallback), np.nanmean(values), fallback)
        out[long_pos] = np.where(np.isnan(est), fallback, est)
    # 4. known totals
    if known is not None and len(known.start):
        kpos, krun = _expand(known.start, known.end)
        csum = np.concatenate([[0.0], np.cumsum(out)])
        est_tot = csum[known.end] - csum[known.start]
        klen = (known.end - known.start).astype(float)
        scale = np.where(est_tot > 0, known.total / np.where(est_tot > 0, est_tot, 1.0), 0.0)
        even = known.total / klen
        out[kpos] = np.where(est_tot[krun] > 0, out[kpos] * scale[krun], even[krun])
    return out


def _known_mask(known: KnownTotals | None, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    if known is not None and len(known.start):
        mask[_expand(known.start, known.end)[0]] = True
    return mask


def _std(t_s: int) -> datetime:
    return datetime.fromtimestamp(int(t_s), UTC).astimezone(STANDARD_TIME)


def finish(grid: Grid) -> MeterSeries:
    """Fill the grid's gaps and sum it into hourly values in standard time."""
    if grid.exp is not None and np.isnan(grid.exp).all():
        # export columns present but never filled in: no export data, not a year-long gap
        grid.exp, grid.known_exp, grid.source_total_export_kwh = None, None, None
        grid.warnings.append(Note("The export (feed-in) columns are empty; only consumption was read."))
    step = grid.step_s
    n = len(grid.imp)
    per_hour = HOUR_S // step
    missing = np.isnan(grid.imp)
    imp = fill_gaps(grid.imp, step, grid.t0_s, grid.known_imp)
    known = _known_mask(grid.known_imp, n)
    exp = None
    if grid.exp is not None:
        missing_e = np.isnan(grid.exp)
        exp = fill_gaps(grid.exp, step, grid.t0_s, grid.known_exp)
        known_e = _known_mask(grid.known_exp, n)
        # a slot is "known" only if every direction missing there has its total known
        known = np.where(missing & missing_e, known & known_e, np.where(missing, known, known_e))
        missing = missing | missing_e
    starts, ends = _runs(missing)
    kc = np.concatenate([[0], np.cumsum(known)])
    gaps = [
        Gap(
            start=_std(grid.t0_s + s * step),
            end=_std(grid.t0_s + e * step),
            total_known=bool(kc[e] - kc[s] == e - s),
        )
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
    ]

    def hourly(a: np.ndarray) -> np.ndarray:
        return a.reshape(-1, per_hour).sum(axis=1)

    measured_imp = hourly(np.where(np.isnan(grid.imp), 0.0, grid.imp))
    measured_exp = None if grid.exp is None else hourly(np.where(np.isnan(grid.exp), 0.0, grid.exp))
    return MeterSeries(
        format=grid.format,
        resolution_minutes=step // 60,
        start=_std(grid.t0_s),
        import_kwh=hourly(imp),
        export_kwh=None if exp is None else hourly(exp),
        estimated=missing.reshape(-1, per_hour).any(axis=1),
        measured_import_kwh=measured_imp,
        measured_export_kwh=measured_exp,
        source_total_import_kwh=grid.source_total_import_kwh,
        source_total_export_kwh=grid.source_total_export_kwh,
        gaps=gaps,
        warnings=list(grid.warnings),
        details=dict(grid.details),
    )


# --------------------------------------------------------------------------------------------------
# Reference year


def _feb29_between(start: datetime, end: datetime) -> bool:
    for year in range(start.year, end.year + 1):
        if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            day = datetime(year, 2, 29, tzinfo=STANDARD_TIME)
            if start <= day < end:
                return True
    return False


def _complete(ref: np.ndarray, shares: tuple[float, ...]) -> np.ndarray:
    """Fill NaN hours of a reference-year array from a monthly seasonal shape.

    Level of month m = share[m] / days in m (per unit of annual energy); the hour-of-day profile of m is
    the measured mean profile of m, or of the nearest month that has all 24 hours measured. The annual
    scale is fitted so that the shape reproduces the measured hours: A = measured / shape(measured).
    """
    hour = np.tile(np.arange(24), DAYS_PER_YEAR)
    month = np.repeat(np.repeat(np.arange(12), DAYS_IN_MONTH), 24)
    covered = ~np.isnan(ref)
    key = month * 24 + hour
    sums = np.bincount(key[covered], weights=ref[covered], minlength=288).reshape(12, 24)
    cnt = np.bincount(key[covered], minlength=288).reshape(12, 24)
    mean = np.where(cnt > 0, sums / np.maximum(cnt, 1), 0.0)
    ok = (cnt > 0).all(axis=1) & (mean.sum(axis=1) > 0)
    profile = np.full((12, 24), 1 / 24)
    if ok.any():
        good = np.flatnonzero(ok)
        for m in range(12):
            dist = np.minimum((good - m) % 12, (m - good) % 12)
            src = good[np.argmin(dist)]
            profile[m] = mean[src] / mean[src].sum()
    share = np.asarray(shares, dtype=float)
    share = share / share.sum()
    level = (share / np.asarray(DAYS_IN_MONTH))[month] * profile[month, hour]
    denom = level[covered].sum()
    scale = ref[covered].sum() / denom if denom > 0 else 0.0
    return np.where(covered, ref, scale * level)


def to_reference_year(series: MeterSeries) -> ParsedMeterFile:
    """Place the most recent 365 days of ``series`` on the 8760-hour reference year; complete a
    partial year from a seasonal shape; build the report."""
    warnings = list(series.warnings)
    end = series.end
    win_start = end - timedelta(days=DAYS_PER_YEAR)
    if _feb29_between(win_start, end):
        win_start -= timedelta(days=1)
    skip = 0
    if series.start < win_start:
        skip = int((win_start - series.start) / timedelta(hours=1))
        warnings.append(
            Note(
                "The file covers %(days).0f days; the most recent 365 days were used (%(start)s to %(end)s, "
                "standard time UTC+1).",
                {
                    "days": series.hours / 24,
                    "start": f"{win_start:%Y-%m-%d %H:%M}",
                    "end": f"{end:%Y-%m-%d %H:%M}",
                },
            )
        )
    period_start = series.start + timedelta(hours=skip)
    imp = series.import_kwh[skip:]
    exp = None if series.export_kwh is None else series.export_kwh[skip:]
    est = series.estimated[skip:]
    n = len(imp)
    local = pd.date_range(period_start.replace(tzinfo=None), periods=n, freq="h")
    month = np.asarray(local.month) - 1
    day = np.asarray(local.day) - 1
    hour = np.asarray(local.hour)
    leap = (month == 1) & (day == 28)
    ref_idx = (_CUM_DAYS[month] + day) * 24 + hour
    keep = ~leap
    if leap.any():
        dropped = float(imp[leap].sum())
        warnings.append(
            Note(
                "29 February was dropped (the reference year has 365 days): %(kwh).2f kWh import.",
                {"kwh": dropped},
            )
        )

    def place(values: np.ndarray) -> np.ndarray:
        ref = np.full(HOURS_PER_YEAR, np.nan)
        ref[ref_idx[keep]] = values[keep]
        return ref

    cons = place(imp)
    covered = ~np.isnan(cons)
    coverage_days = covered.sum() / 24
    if coverage_days < MIN_COVERAGE_DAYS:
        raise MeterFileError(
            errors.TOO_SHORT,
            Note(
                "The file covers only %(days)s days; at least %(minimum)d days are needed to estimate a "
                "year. Export a longer period (ideally the last full year).",
                {"days": Figure(coverage_days, 1), "minimum": MIN_COVERAGE_DAYS},
            ),
        )
    completed = int((~covered).sum())
    if completed:
        months = sorted(set((month[keep][covered[ref_idx[keep]]] + 1).tolist()))
        cons_full = _complete(cons, MONTHLY_SHARE_CONSUMPTION)
        added = float(cons_full[~covered].sum())
        warnings.append(
            Note(
                "The file covers %(days).1f of 365 days (months present: %(months)s). The other %(hours)d hours "
                "were completed from a standard seasonal shape scaled to the measured data: %(added).0f kWh of "
                "the %(total).0f kWh yearly import is estimated.",
                {
                    "days": coverage_days,
                    "months": ", ".join(str(m) for m in months),
                    "hours": completed,
                    "added": added,
                    "total": cons_full.sum(),
                },
            )
        )
        cons = cons_full
    export = None
    if exp is not None:
        export = place(exp)
        if completed:
            export = _complete(export, MONTHLY_SHARE_EXPORT)
            warnings.append(
                Note(
                    "Export (feed-in) for the missing months was completed from a typical solar-yield season; "
                    "it is uncertain when the file has only winter months."
                )
            )
    # gaps inside the period
    in_period = [g for g in series.gaps if g.end > period_start and g.start < end]
    clipped = [
        Gap(start=max(g.start, period_start), end=min(g.end, end), total_known=g.total_known)
        for g in in_period
    ]
    largest = max(clipped, key=lambda g: g.hours, default=None)
    gap_report = GapReport(
        count=len(clipped),
        filled_hours=int(est.sum()),
        largest_gap_hours=largest.hours if largest else 0.0,
        largest_gap_start=largest.start if largest else None,
        largest_gap_end=largest.end if largest else None,
        gaps=tuple(clipped),
    )
    if clipped:
        unknown = [g for g in clipped if not g.total_known]
        msg = Note(
            "%(count)d gap(s) in the data, %(hours)d hours estimated; the largest is %(largest)s h from "
            "%(start)s (UTC+1).",
            {
                "count": len(clipped),
                "hours": gap_report.filled_hours,
                "largest": f"{largest.hours:g}",
                "start": f"{largest.start:%Y-%m-%d %H:%M}",
            },
        )
        if unknown:
            msg = msg.then(
                "Short gaps were interpolated, longer ones taken from the same hours in neighbouring weeks."
            )
        else:
            msg = msg.then(
                "The energy over each gap is known from the meter readings; only its spread over the hours was "
                "estimated."
            )
        warnings.append(msg)
    meas_imp = series.measured_import_kwh[skip:]
    meas_exp = None if series.measured_export_kwh is None else series.measured_export_kwh[skip:]
    return ParsedMeterFile(
        format=series.format,
        consumption_kwh=cons,
        export_kwh=export,
        resolution_minutes=series.resolution_minutes,
        period_start=period_start,
        period_end=end,
        source_period_start=series.start,
        source_period_end=end,
        source_total_import_kwh=series.source_total_import_kwh,
        source_total_export_kwh=series.source_total_export_kwh,
        period_import_kwh=float(meas_imp.sum()),
        period_export_kwh=None if meas_exp is None else float(meas_exp.sum()),
        gaps=gap_report,
        coverage_days=float(coverage_days),
        completed_hours=completed,
        warnings=warnings,
        details=dict(series.details),
    )
