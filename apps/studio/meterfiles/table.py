"""Column helpers the format readers share: reading the table, finding blank and bad rows, vectorised
number and local-time parsing, and turning interval or cumulative values into a ``timebase.Grid``.

Everything is vectorised pandas/numpy (parsing each distinct text once); no per-row Python loops.
"""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
import pandas as pd

from . import errors
from .constants import MAX_REPORTED_LINES
from .errors import MeterFileError
from .result import Note
from .timebase import (
    Grid,
    check_step,
    cumulative_to_grid,
    detect_step,
    grid_bounds,
    intervals_to_grid,
    local_to_utc,
    trim_history,
)

_SKIPPED_LINE = re.compile(r"Skipping line (\d+)")
_HOUR_24 = re.compile(r"([ T])24:00(:00)?$")
_OFFSET_AT_END = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
TIME_FORMATS = (
    "ISO8601",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d-%m-%Y",
    "%d/%m/%Y",
)
DATE_FORMATS = ("ISO8601", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d")
NAT = np.iinfo(np.int64).min


def read_table(
    text: str, header_idx: int, sep: str, header: bool = True, usecols=None
) -> tuple[pd.DataFrame, int]:
    """Read all fields as strings. Returns the frame and the 1-based file line of its first data row.
    Rows with too many fields are rejected with their line numbers; blank rows are kept (all '')."""
    body = text.split("\n", header_idx)[-1] if header_idx else text
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            df = pd.read_csv(
                io.StringIO(body),
                sep=sep,
                header=0 if header else None,
                # clean numeric columns become float64 in the C parser; anything else stays text
                # and is parsed (and its bad rows reported) by to_float
                decimal="," if sep == ";" else ".",
                low_memory=False,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                index_col=False,
                usecols=usecols,
                on_bad_lines="warn",
                engine="c",
            )
        except pd.errors.ParserError as exc:  # e.g. unbalanced quotes
            raise MeterFileError(
                errors.BAD_ROWS, Note("The file could not be read as CSV: %(error)s", {"error": str(exc)})
            ) from exc
        except pd.errors.EmptyDataError as exc:
            raise MeterFileError(errors.EMPTY, Note("The file has a header but no data rows.")) from exc
    skipped = sorted(
        int(m.group(1)) + header_idx for w in caught for m in _SKIPPED_LINE.finditer(str(w.message))
    )
    if skipped:
        raise MeterFileError(
            errors.BAD_ROWS,
            Note(
                "%(count)d rows have more fields than the header, first at line(s) %(lines)s. Re-export the "
                "file without editing it.",
                {"count": len(skipped), "lines": ", ".join(map(str, skipped[:MAX_REPORTED_LINES]))},
            ),
            lines=skipped[:MAX_REPORTED_LINES],
        )
    if len(df) == 0:
        raise MeterFileError(
            errors.EMPTY, Note("The file has a header but no data rows. Export the history again.")
        )
    first_line = header_idx + (2 if header else 1)
    return df, first_line


def blank_rows(df: pd.DataFrame, columns: list | None = None) -> np.ndarray:
    """Rows empty in ``columns`` (the key columns: checking every column of an object frame costs more
    than reading it); raises when no row has data."""
    blank = np.ones(len(df), dtype=bool)
    for col in columns if columns is not None else df.columns:
        blank &= df[col].isna().to_numpy()
    if blank.all():
        raise MeterFileError(
            errors.EMPTY, Note("The file has a header but no data rows. Export the history again.")
        )
    return blank


def raise_bad(bad: np.ndarray, first_line: int, what: Note) -> None:
    if not bad.any():
        return
    rows = np.flatnonzero(bad)
    lines = (rows[:MAX_REPORTED_LINES] + first_line).tolist()
    raise MeterFileError(
        errors.BAD_ROWS,
        Note(
            "%(count)d row(s) could not be read (%(what)s), first at line(s) %(lines)s. Check those lines or "
            "export the file again.",
            {"count": len(rows), "what": what, "lines": ", ".join(map(str, lines))},
        ),
        lines=lines,
    )


# Column helpers: string work is done once per distinct value (pd.factorize), then mapped back to the
# rows by code, so a 140 000-row file with a few thousand distinct values costs a few thousand Python
# string operations, not millions.


def uniques(col: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, uniq = pd.factorize(col)  # empty (NaN) -> -1
    return codes, [str(u).strip() for u in np.asarray(uniq, dtype=object).tolist()]


def lookup(codes: np.ndarray, values: np.ndarray, fill) -> np.ndarray:
    values = np.asarray(values)
    out = np.full(len(codes), fill, dtype=values.dtype if len(values) else np.asarray(fill).dtype)
    ok = codes >= 0
    out[ok] = values[codes[ok]]
    return out


def text_column(col: pd.Series) -> np.ndarray:
    """Lower-cased, stripped text per row ('' when empty)."""
    codes, uniq = uniques(col)
    return lookup(codes, np.array([u.lower() for u in uniq] + [""], dtype=object)[: len(uniq)], "")


def to_float(col: pd.Series, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from a column (already numeric, or text). Returns (values, NaN for empty or bad; bad mask)."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(col), dtype=bool)
    codes, uniq = uniques(col)
    text = [u.replace(",", ".") for u in uniq] if decimal_comma else uniq
    vals = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype=float)
    bad_u = np.isnan(vals) & np.array([u != "" for u in uniq], dtype=bool)
    return lookup(codes, vals, np.nan), lookup(codes, bad_u, False)


def _time_of_day(text: str) -> int:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if not m:
        return NAT
    h, mi, sec = int(m[1]), int(m[2]), int(m[3] or 0)
    if mi > 59 or sec > 59 or h > 24 or (h == 24 and mi + sec > 0):
        return NAT
    return h * 3600 + mi * 60 + sec


def _parse_uniques(uniq: list[str], formats: tuple[str, ...]) -> np.ndarray:
    # "24:00" (end of the day, written by exports that stamp interval ends) = 00:00 the next day
    # (a plain suffix test first: the regex on every value of a 10^6-line minute file costs 0.35 s)
    next_day = np.array(
        [u.endswith(("24:00", "24:00:00")) and bool(_HOUR_24.search(u)) for u in uniq], dtype=bool
    )
    if next_day.any():
        uniq = [_HOUR_24.sub(r"\g<1>00:00\g<2>", u) for u in uniq]
    best = None
    for fmt in formats:
        parsed = pd.to_datetime(pd.Series(uniq, dtype=object), format=fmt, errors="coerce")
        if fmt == "ISO8601" and getattr(parsed.dt, "tz", None) is not None:
            continue
        nat = int(parsed.isna().sum())
        if best is None or nat < best[0]:
            best = (nat, parsed)
        if nat == 0:
            break
    if best is None:
        return np.full(len(uniq), NAT, dtype=np.int64)
    secs = _seconds(best[1])
    return np.where(next_day & (secs != NAT), secs + 86400, secs)


def parse_local(
    col: pd.Series,
    formats: tuple[str, ...],
    time_col: pd.Series | None = None,
    factorized: tuple[np.ndarray, list[str]] | None = None,
) -> np.ndarray:
    """Wall-clock seconds per row from a date-time column, or a date column plus a time column
    (each distinct value parsed once; ``factorized`` = ``uniques(col)`` when the caller has it already,
    which saves a second pass over a 10^6-row column). Unparseable or empty -> int64 min."""
    codes, uniq = factorized or uniques(col)
    out = lookup(codes, _parse_uniques(uniq, formats), NAT)
    if time_col is not None:
        tcodes, tuniq = uniques(time_col)
        tod = lookup(tcodes, np.array([_time_of_day(t) for t in tuniq], dtype=np.int64), NAT)
        out = np.where((out == NAT) | (tod == NAT), NAT, out + tod)
    return out


def _seconds(parsed: pd.Series) -> np.ndarray:
    """Epoch seconds of a datetime Series (naive or UTC); NaT -> int64 min."""
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_convert(None)
    return parsed.to_numpy(dtype="datetime64[s]").view(np.int64)


def parse_instants(
    col: pd.Series,
    time_col: pd.Series | None = None,
    factorized: tuple[np.ndarray, list[str]] | None = None,
) -> np.ndarray:
    """UTC seconds from timestamps: with an offset they are absolute, without it local wall time
    (``factorized`` as in ``parse_local``)."""
    first = col.dropna()
    sample = str(first.iloc[0]).strip() if len(first) else ""
    if time_col is None and _OFFSET_AT_END.search(sample):
        codes, uniq = factorized or uniques(col)
        parsed = pd.to_datetime(pd.Series(uniq, dtype=object), format="ISO8601", utc=True, errors="coerce")
        return lookup(codes, _seconds(parsed), NAT)
    formats = DATE_FORMATS if time_col is not None else TIME_FORMATS
    local = parse_local(col, formats, time_col, factorized)
    out = np.full(len(local), NAT, dtype=np.int64)
    ok = local != NAT
    if ok.any():
        out[ok] = local_to_utc(local[ok])[0]
    return out


def cumulative_grid(
    fmt: str, utc: np.ndarray, cum_imp: np.ndarray, cum_exp: np.ndarray | None, warn: list[str], details: dict
) -> Grid:
    order = np.argsort(utc, kind="stable")
    utc = utc[order]
    cum_imp = cum_imp[order]
    cum_exp = None if cum_exp is None else cum_exp[order]
    # repeated instants: keep the last reading
    last = np.append(utc[1:] != utc[:-1], True)
    utc, cum_imp = utc[last], cum_imp[last]
    cum_exp = None if cum_exp is None else cum_exp[last]
    valid = ~np.isnan(cum_imp) if cum_exp is None else ~(np.isnan(cum_imp) & np.isnan(cum_exp))
    if valid.sum() < 2:
        raise MeterFileError(
            errors.NO_DATA, Note("The file has fewer than two meter readings, so no consumption.")
        )
    offline = int((~valid).sum())
    if offline:
        warn.append(
            Note(
                "%(count)d readings are empty (meter offline); the energy over those gaps was spread.",
                {"count": offline},
            )
        )
    step_s = detect_step(utc[valid])
    resolution = check_step(step_s)

    def total(c: np.ndarray) -> float:
        d = np.diff(c[~np.isnan(c)])
        return float(d[d >= 0].sum())

    src_imp = total(cum_imp)
    src_exp = None if cum_exp is None else total(cum_exp)
    keep, trim_warn = trim_history(utc[valid])
    cutoff = utc[valid][keep].min()
    sel = utc >= cutoff
    utc, cum_imp = utc[sel], cum_imp[sel]
    cum_exp = None if cum_exp is None else cum_exp[sel]
    valid = valid[sel]
    t_first, t_last = int(utc[valid].min()), int(utc[valid].max())
    t0, n = grid_bounds(np.array([t_first]), step_s, last_end_s=t_last)
    imp, known_imp, resets = cumulative_to_grid(utc, cum_imp, t0, n, step_s)
    exp, known_exp, resets_e = (None, None, 0)
    if cum_exp is not None:
        exp, known_exp, resets_e = cumulative_to_grid(utc, cum_exp, t0, n, step_s)
    if resets or resets_e:
        warn.append(
            Note(
                "The meter reading went down %(count)d time(s) (meter replaced or reset); those intervals "
                "were treated as gaps and estimated.",
                {"count": resets + resets_e},
            )
        )
    return Grid(
        format=fmt,
        step_s=resolution * 60,
        t0_s=t0,
        imp=imp,
        exp=exp,
        source_total_import_kwh=src_imp,
        source_total_export_kwh=src_exp,
        known_imp=known_imp,
        known_exp=known_exp,
        warnings=warn + trim_warn,
        details={**details, "cumulative": True},
    )


def interval_grid(
    fmt: str, utc: np.ndarray, imp: np.ndarray, exp: np.ndarray | None, warn: list[str], details: dict
) -> Grid:
    present = ~np.isnan(imp) if exp is None else ~(np.isnan(imp) & np.isnan(exp))
    if present.sum() < 2:
        raise MeterFileError(
            errors.NO_DATA, Note("The file has fewer than two values, so no consumption history.")
        )
    step_s = detect_step(utc[present])
    resolution = check_step(step_s)
    src_imp = float(np.nansum(imp))
    src_exp = None if exp is None else float(np.nansum(exp))
    keep, trim_warn = trim_history(utc[present])
    cutoff = utc[present][keep].min()
    sel = present & (utc >= cutoff)
    t0, n = grid_bounds(utc[sel], step_s)
    g_imp = intervals_to_grid(utc[sel], imp[sel], t0, n, step_s)
    g_exp = None if exp is None else intervals_to_grid(utc[sel], exp[sel], t0, n, step_s)
    return Grid(
        format=fmt,
        step_s=resolution * 60,
        t0_s=t0,
        imp=g_imp,
        exp=g_exp,
        source_total_import_kwh=src_imp,
        source_total_export_kwh=src_exp,
        warnings=warn + trim_warn,
        details=details,
    )
