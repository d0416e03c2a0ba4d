"""Format detection and the readers of each supported layout (see DESIGN.md, Appendix A).

Every reader turns decoded text into a :class:`timebase.Grid` (interval energies on a regular UTC grid)
with vectorised pandas/numpy code; no per-row Python loops.
"""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
import pandas as pd

from . import errors
from .constants import (
    CUMULATIVE_LEVEL_RATIO,
    MAX_FILE_BYTES,
    MAX_FILE_LINES,
    MAX_REPORTED_LINES,
    MIN_CUMULATIVE_ROWS,
)
from .errors import MeterFileError
from .result import Figure, Note
from .timebase import (
    Grid,
    check_step,
    cumulative_to_grid,
    detect_step,
    dst_warnings,
    grid_bounds,
    intervals_to_grid,
    local_to_utc,
    trim_history,
)

FLUVIUS = "fluvius"
HOMEWIZARD = "homewizard"
DSMR_READER = "dsmr-reader"
GENERIC = "generic"

EXPECTED_FORMATS = (
    "a Fluvius 'verbruikshistoriek' CSV (15-minute or hourly), a HomeWizard Energy CSV export "
    "(15-minute readings), a DSMR-reader hour-totals CSV, or a simple CSV with a timestamp column and "
    "one or two kWh columns (consumption, optionally export) per hour or quarter-hour"
)
EXPECTED = f"Expected: {EXPECTED_FORMATS}."
"""The sentence that follows every unknown-format rejection (a msgid of its own, see Note)."""

_OBIS_LINE = re.compile(r"^\s*\d-\d:\d{1,3}\.\d{1,3}\.\d{1,3}\(")
_P1_TIMESTAMP = re.compile(r"0-0:1\.0\.0\((\d{12})[WS]\)")
_OFFSET_AT_END = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")
GENERIC_PREAMBLE_LINES = 10  # title/metadata lines allowed above a generic file's column header
FLUVIUS_RESOLUTION_SAMPLE = 5000  # rows whose Until - From gives the resolution
_SKIPPED_LINE = re.compile(r"Skipping line (\d+)")
_HOUR_24 = re.compile(r"([ T])24:00(:00)?$")
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


# --------------------------------------------------------------------------------------------------
# Bytes -> text, and format detection


def decode(data: bytes) -> str:
    """Bytes to text: size and emptiness checks, BOM removal, UTF-8/UTF-16 with a Windows-1252 fallback."""
    if len(data) > MAX_FILE_BYTES:
        raise MeterFileError(
            errors.TOO_LARGE,
            Note(
                "The file is %(size)s MB; the limit is %(limit)d MB. Export one year of hourly or 15-minute "
                "data (a year of quarter-hours is well below the limit).",
                {"size": Figure(len(data) / 2**20, 1), "limit": MAX_FILE_BYTES // 2**20},
            ),
        )
    if (lines := data.count(b"\n")) > MAX_FILE_LINES:
        raise MeterFileError(
            errors.TOO_LARGE,
            Note(
                "The file has %(lines)s lines; the limit is %(limit)s. Export one year of hourly or 15-minute "
                "data (a year of 1-minute readings is %(minute_year)s lines).",
                {"lines": Figure(lines), "limit": Figure(MAX_FILE_LINES), "minute_year": Figure(525_600)},
            ),
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
    else:
        if data.startswith(b"PK\x03\x04"):
            raise MeterFileError(
                errors.UNKNOWN_FORMAT,
                Note(
                    "This is an Excel workbook or ZIP archive, not a CSV file. Open it and save it as CSV, "
                    "or upload the CSV export directly."
                ).then(EXPECTED),
            )
        if data.startswith(b"%PDF"):
            raise MeterFileError(
                errors.UNKNOWN_FORMAT,
                Note("This is a PDF document, not a data export.").then(EXPECTED),
            )
        if b"\x00" in data[:4096]:
            raise MeterFileError(
                errors.UNKNOWN_FORMAT,
                Note("This is a binary file, not a CSV text export.").then(EXPECTED),
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise MeterFileError(
            errors.EMPTY, Note("The file is empty. Export the meter history again and upload that file.")
        )
    return text


def _split_header(line: str) -> tuple[str, list[str]]:
    counts = {sep: line.count(sep) for sep in (";", "\t", ",")}
    sep = max(counts, key=lambda k: counts[k]) if max(counts.values()) > 0 else ","
    fields = [f.strip().strip('"').strip("'").strip().lower() for f in line.split(sep)]
    return sep, fields


def _norm(name: str) -> str:
    name = name.lower().replace("(", " ").replace(")", " ").replace("_", " ")
    return " ".join(name.split())


def detect(text: str) -> tuple[str, int, str, list[str]]:
    """Return (format, header line index, delimiter, normalised header fields); raise for known
    non-profiles (telegram, gas, daily)."""
    head = text[:200_000]
    lines = head.splitlines()
    nonblank = [(i, ln) for i, ln in enumerate(lines[:400]) if ln.strip()]
    if not nonblank:
        raise MeterFileError(
            errors.EMPTY, Note("The file is empty. Export the meter history again and upload that file.")
        )
    obis = sum(1 for _, ln in nonblank if _OBIS_LINE.match(ln))
    if obis >= 2 or (nonblank[0][1].lstrip().startswith("/") and obis >= 1):
        stamps = _P1_TIMESTAMP.findall(text)
        if not stamps:
            what = Note("This is one P1 telegram — a single meter reading, not a consumption history.")
        else:
            s = stamps[0]
            taken = {"when": f"20{s[0:2]}-{s[2:4]}-{s[4:6]} {s[6:8]}:{s[8:10]}", "count": len(stamps)}
            what = Note(
                "This is one P1 telegram — a single meter reading taken at %(when)s, not a consumption history."
                if len(stamps) == 1
                else "This is %(count)d raw P1 telegrams — meter readings from %(when)s on, not a consumption "
                "history.",
                taken,
            )
        raise MeterFileError(
            errors.P1_TELEGRAM,
            what.then(
                "A profile needs hourly or 15-minute history: export it from the HomeWizard Energy app (CSV, "
                "15 minutes), DSMR-reader (hour totals), your supplier or grid operator portal (Fluvius "
                "'verbruikshistoriek' per kwartier/uur), or a P1 logger's CSV export."
            ),
        )
    header_idx, header_line = nonblank[0]
    sep, fields = _split_header(header_line)
    joined = " ".join(fields)
    nfields = [_norm(f) for f in fields]
    if "meterreadingdate" in joined.replace(" ", "") or (
        nfields[:2] == ["vanaf", "tot"] and "verbruik" in joined
    ):
        raise MeterFileError(
            errors.DAILY,
            Note(
                "This file holds one meter reading or total per day. A solar and battery sizing needs at "
                "least hourly values: export the hourly or 15-minute history instead."
            ),
        )
    if "calorische bovenwaarde" in joined or "calorific" in joined:
        raise _gas_error()
    if "register" in nfields and "volume" in nfields and nfields[0].startswith(("van", "from")):
        return FLUVIUS, header_idx, sep, nfields
    if nfields[0] == "time":
        rest = nfields[1:]
        if any(f.startswith("import") and "kwh" in f for f in rest):
            return HOMEWIZARD, header_idx, sep, nfields
        if any("gas" in f for f in rest):
            raise _gas_error()
        if any("water" in f for f in rest):
            raise MeterFileError(
                errors.NOT_ELECTRICITY,
                Note(
                    "This is a water meter export, not electricity. Upload the electricity (P1/kWh meter) export."
                ),
            )
    if nfields[0] in ("hour start", "hour_start") or ("electricity 1" in joined and "returned" in joined):
        return DSMR_READER, header_idx, sep, nfields
    return GENERIC, header_idx, sep, nfields


def _gas_error() -> MeterFileError:
    return MeterFileError(
        errors.GAS,
        Note(
            "This is a gas consumption export (m³), not electricity. Upload the electricity export of the "
            "same meter or portal (kWh, hourly or per 15 minutes)."
        ),
    )


# --------------------------------------------------------------------------------------------------
# Shared helpers


def _read_table(
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
                # and is parsed (and its bad rows reported) by _to_float
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


def _blank_rows(df: pd.DataFrame, columns: list | None = None) -> np.ndarray:
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


def _raise_bad(bad: np.ndarray, first_line: int, what: Note) -> None:
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


def _uniques(col: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, uniq = pd.factorize(col)  # empty (NaN) -> -1
    return codes, [str(u).strip() for u in np.asarray(uniq, dtype=object).tolist()]


def _lookup(codes: np.ndarray, values: np.ndarray, fill) -> np.ndarray:
    values = np.asarray(values)
    out = np.full(len(codes), fill, dtype=values.dtype if len(values) else np.asarray(fill).dtype)
    ok = codes >= 0
    out[ok] = values[codes[ok]]
    return out


def _text(col: pd.Series) -> np.ndarray:
    """Lower-cased, stripped text per row ('' when empty)."""
    codes, uniq = _uniques(col)
    return _lookup(codes, np.array([u.lower() for u in uniq] + [""], dtype=object)[: len(uniq)], "")


def _to_float(col: pd.Series, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from a column (already numeric, or text). Returns (values, NaN for empty or bad; bad mask)."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(col), dtype=bool)
    codes, uniq = _uniques(col)
    text = [u.replace(",", ".") for u in uniq] if decimal_comma else uniq
    vals = pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(dtype=float)
    bad_u = np.isnan(vals) & np.array([u != "" for u in uniq], dtype=bool)
    return _lookup(codes, vals, np.nan), _lookup(codes, bad_u, False)


def _time_of_day(text: str) -> int:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if not m:
        return _NAT
    h, mi, sec = int(m[1]), int(m[2]), int(m[3] or 0)
    if mi > 59 or sec > 59 or h > 24 or (h == 24 and mi + sec > 0):
        return _NAT
    return h * 3600 + mi * 60 + sec


def _parse_uniques(uniq: list[str], formats: tuple[str, ...]) -> np.ndarray:
    # "24:00" (end of the day, written by exports that stamp interval ends) = 00:00 the next day
    next_day = np.array([bool(_HOUR_24.search(u)) for u in uniq], dtype=bool)
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
        return np.full(len(uniq), _NAT, dtype=np.int64)
    secs = _seconds(best[1])
    return np.where(next_day & (secs != _NAT), secs + 86400, secs)


def _parse_local(col: pd.Series, formats: tuple[str, ...], time_col: pd.Series | None = None) -> np.ndarray:
    """Wall-clock seconds per row from a date-time column, or a date column plus a time column
    (each distinct value parsed once). Unparseable or empty -> int64 min."""
    codes, uniq = _uniques(col)
    out = _lookup(codes, _parse_uniques(uniq, formats), _NAT)
    if time_col is not None:
        tcodes, tuniq = _uniques(time_col)
        tod = _lookup(tcodes, np.array([_time_of_day(t) for t in tuniq], dtype=np.int64), _NAT)
        out = np.where((out == _NAT) | (tod == _NAT), _NAT, out + tod)
    return out


_NAT = np.iinfo(np.int64).min


def _seconds(parsed: pd.Series) -> np.ndarray:
    """Epoch seconds of a datetime Series (naive or UTC); NaT -> int64 min."""
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_convert(None)
    return parsed.to_numpy(dtype="datetime64[s]").view(np.int64)


# --------------------------------------------------------------------------------------------------
# Fluvius


_FLUVIUS_COLUMNS = {
    "van datum": "from_date",
    "from date": "from_date",
    "van tijdstip": "from_time",
    "from time": "from_time",
    "tot datum": "until_date",
    "until date": "until_date",
    "tot tijdstip": "until_time",
    "until time": "until_time",
    "register": "register",
    "volume": "volume",
    "eenheid": "unit",
    "unit": "unit",
    "validatiestatus": "status",
    "validation status": "status",
}


def read_fluvius(text: str, header_idx: int, sep: str) -> Grid:
    df, first_line = _read_table(text, header_idx, sep, usecols=lambda c: _norm(c) in _FLUVIUS_COLUMNS)
    rename = {c: _FLUVIUS_COLUMNS[_norm(c)] for c in df.columns if _norm(c) in _FLUVIUS_COLUMNS}
    df = df.rename(columns=rename)
    needed = ["from_date", "from_time", "until_date", "until_time", "register", "volume"]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise MeterFileError(
            errors.UNKNOWN_FORMAT,
            Note(
                "This looks like a Fluvius export but the columns %(columns)s are missing. Upload the "
                "'verbruikshistoriek' CSV as downloaded from mijn.fluvius.be.",
                {"columns": ", ".join(missing)},
            ),
        )
    blank = _blank_rows(df, ["from_date", "register", "volume"])
    units = _text(df["unit"]) if "unit" in df.columns else np.full(len(df), "", dtype=object)
    gas_rows = np.isin(units, ["m³", "m3", "m^3"])
    if gas_rows.any() and not (units == "kwh").any():
        raise _gas_error()
    dates = df["from_date"].dropna()
    first_date = str(dates.iloc[0]).strip() if len(dates) else ""
    dfmt = "%d/%m/%Y" if "/" in first_date else "%d-%m-%Y"
    dformats = (dfmt, "%Y-%m-%d", "ISO8601")
    from_local = _parse_local(df["from_date"], dformats, df["from_time"])
    reg = _text(df["register"])
    volume, bad_vol = _to_float(df["volume"], decimal_comma=True)
    _raise_bad(((from_local == _NAT) | bad_vol) & ~blank, first_line, Note("date/time or volume"))
    # direction per register
    reg_codes, reg_names = pd.factorize(reg)
    reg_names = [str(r) for r in reg_names]

    def per_register(words: tuple[str, ...]) -> np.ndarray:
        return np.array([any(w in r for w in words) for r in reg_names], dtype=bool)[reg_codes]

    is_imp = per_register(("afname", "offtake", "consumption", "verbruik"))
    is_exp = per_register(("injectie", "injection", "productie", "production"))
    kwh_unit = np.isin(units, ["kwh", ""]) & ~blank
    ignored = sorted(set(reg[(~(is_imp | is_exp) | ~kwh_unit) & ~blank]))
    warn = []
    if ignored:
        warn.append(
            Note(
                "Registers not used (not kWh import/export): %(registers)s.",
                {"registers": ", ".join(ignored)},
            )
        )
    is_imp &= kwh_unit
    is_exp &= kwh_unit & ~is_imp
    for mask in (is_imp, is_exp):
        total_rows = mask & per_register(("totaal", "total"))
        if total_rows.any() and (mask & ~total_rows).any():
            mask &= ~total_rows
            warn.append(
                Note("A total register next to day/night registers was ignored (it would count twice).")
            )
    if not is_imp.any() and not is_exp.any():
        raise MeterFileError(
            errors.NO_DATA,
            Note("The Fluvius file has no electricity offtake (afname) or injection (injectie) rows in kWh."),
        )
    # empty volume: 0 when the status says "no consumption", otherwise missing
    if "status" in df.columns:
        codes, uniq = _uniques(df["status"])
        none_u = np.array(
            [("geen verbruik" in u.lower()) or ("no consumption" in u.lower()) for u in uniq], bool
        )
        none_used = _lookup(codes, none_u, False)
        volume = np.where(np.isnan(volume) & none_used, 0.0, volume)
    used = is_imp | is_exp
    # resolution = Until - From, from the first rows (Until is used for nothing else)
    sample_rows = np.flatnonzero(used)[:FLUVIUS_RESOLUTION_SAMPLE]
    until_local = _parse_local(
        df["until_date"].iloc[sample_rows], dformats, df["until_time"].iloc[sample_rows]
    )
    bad_until = np.zeros(len(df), dtype=bool)
    bad_until[sample_rows[until_local == _NAT]] = True
    _raise_bad(bad_until, first_line, Note("Until date/time"))
    step_s = int(np.median(until_local - from_local[sample_rows]))
    resolution = check_step(step_s)
    utc, info = local_to_utc(from_local, reg_codes)
    warn += dst_warnings(info)
    keep, trim_warn = trim_history(utc[used])
    src_imp = float(np.nansum(volume[is_imp]))
    src_exp = float(np.nansum(volume[is_exp])) if is_exp.any() else None
    t_used = utc[used][keep]
    t0, n = grid_bounds(t_used, step_s)
    cutoff = t_used.min()
    sel_i = is_imp & (utc >= cutoff)
    sel_e = is_exp & (utc >= cutoff)
    imp = intervals_to_grid(utc[sel_i], volume[sel_i], t0, n, step_s)
    exp = intervals_to_grid(utc[sel_e], volume[sel_e], t0, n, step_s) if is_exp.any() else None
    registers = sorted(set(reg[is_imp | is_exp]))
    return Grid(
        format=FLUVIUS,
        step_s=resolution * 60,
        t0_s=t0,
        imp=imp,
        exp=exp,
        source_total_import_kwh=src_imp,
        source_total_export_kwh=src_exp,
        warnings=warn + trim_warn,
        details={"registers": registers, "rows": int((~blank).sum()), "dateFormat": dfmt},
    )


# --------------------------------------------------------------------------------------------------
# HomeWizard


def read_homewizard(text: str, header_idx: int, sep: str) -> Grid:
    df, first_line = _read_table(text, header_idx, sep)
    cols = {_norm(c): c for c in df.columns}
    time_col = cols["time"]
    imp_cols = [c for k, c in cols.items() if k.startswith("import")]
    exp_cols = [c for k, c in cols.items() if k.startswith("export")]
    blank = _blank_rows(df, [time_col, *imp_cols[:1]])
    local = _parse_local(df[time_col], ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "ISO8601"))
    bad = (local == _NAT) & ~blank
    values = {}
    for c in imp_cols + exp_cols:
        v, b = _to_float(df[c], decimal_comma=False)
        values[c] = v
        bad |= b & ~blank
    _raise_bad(bad, first_line, Note("time or kWh reading"))
    ok = ~blank
    local = local[ok]
    cum_imp = np.sum([values[c][ok] for c in imp_cols], axis=0)  # NaN if any tariff is empty (offline)
    cum_exp = np.sum([values[c][ok] for c in exp_cols], axis=0) if exp_cols else None
    utc, info = local_to_utc(local)
    return _cumulative_grid(
        HOMEWIZARD,
        utc,
        cum_imp,
        cum_exp,
        dst_warnings(info),
        {"importColumns": imp_cols, "exportColumns": exp_cols, "rows": int(ok.sum())},
    )


def _cumulative_grid(
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


# --------------------------------------------------------------------------------------------------
# DSMR-reader


def _parse_instants(col: pd.Series, time_col: pd.Series | None = None) -> np.ndarray:
    """UTC seconds from timestamps: with an offset they are absolute, without it local wall time."""
    first = col.dropna()
    sample = str(first.iloc[0]).strip() if len(first) else ""
    if time_col is None and _OFFSET_AT_END.search(sample):
        codes, uniq = _uniques(col)
        parsed = pd.to_datetime(pd.Series(uniq, dtype=object), format="ISO8601", utc=True, errors="coerce")
        return _lookup(codes, _seconds(parsed), _NAT)
    formats = _GENERIC_DATE_FORMATS if time_col is not None else _GENERIC_TIME_FORMATS
    local = _parse_local(col, formats, time_col)
    out = np.full(len(local), _NAT, dtype=np.int64)
    ok = local != _NAT
    if ok.any():
        out[ok] = local_to_utc(local[ok])[0]
    return out


def read_dsmr_reader(text: str, header_idx: int, sep: str) -> Grid:
    df, first_line = _read_table(text, header_idx, sep)
    names = {c: _norm(c) for c in df.columns}
    time_col = df.columns[0]
    imp_cols = [c for c, k in names.items() if k.startswith("electricity") and "returned" not in k]
    exp_cols = [c for c, k in names.items() if k.startswith("electricity") and "returned" in k]
    gas_cols = [c for c, k in names.items() if k.startswith("gas")]
    if not imp_cols:
        raise MeterFileError(errors.UNKNOWN_FORMAT, Note("No electricity columns found.").then(EXPECTED))
    blank = _blank_rows(df, [time_col, *imp_cols[:1]])
    utc = _parse_instants(df[time_col])
    bad = (utc == _NAT) & ~blank
    comma = sep != ","
    vals = {}
    for c in imp_cols + exp_cols + gas_cols:
        v, b = _to_float(df[c], decimal_comma=comma)
        vals[c] = v
        bad |= b & ~blank & (c not in gas_cols)
    _raise_bad(bad, first_line, Note("timestamp or kWh value"))
    ok = ~blank
    utc = utc[ok]
    # an hour is present when any of its columns has a value; empty tariff columns count as 0 then
    imp_m = np.column_stack([vals[c][ok] for c in imp_cols])
    exp_m = np.column_stack([vals[c][ok] for c in exp_cols]) if exp_cols else None
    imp = np.where(np.isnan(imp_m).all(axis=1), np.nan, np.nansum(imp_m, axis=1))
    exp = None if exp_m is None else np.where(np.isnan(exp_m).all(axis=1), np.nan, np.nansum(exp_m, axis=1))
    if gas_cols and not np.nansum(np.abs(imp_m)) and (exp_m is None or not np.nansum(np.abs(exp_m))):
        if np.nansum(np.abs(np.column_stack([vals[c][ok] for c in gas_cols]))) > 0:
            raise _gas_error()
    return _interval_grid(DSMR_READER, utc, imp, exp, [], {"rows": int(ok.sum())})


def _interval_grid(
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


# --------------------------------------------------------------------------------------------------
# Generic two/three-column CSV


_GENERIC_TIME_FORMATS = (
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
_GENERIC_DATE_FORMATS = ("ISO8601", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d")
_EXPORT_WORDS = (
    "export",
    "injectie",
    "terug",
    "levering aan",
    "returned",
    "injection",
    "feed",
    "opwek",
    "productie",
)


def _looks_like_number(value: str) -> bool:
    try:
        float(value.strip().replace(",", "."))
        return True
    except ValueError:
        return False


def _looks_like_time(value: str) -> bool:
    value = value.strip().strip('"')
    if not value or not value[0].isdigit():
        return False
    try:
        pd.to_datetime(value, format="ISO8601")
        return True
    except (ValueError, TypeError):
        pass
    for fmt in _GENERIC_TIME_FORMATS[1:]:
        try:
            pd.to_datetime(value, format=fmt)
            return True
        except (ValueError, TypeError):
            continue
    return False


def _find_data_start(lines: list[str], start: int) -> tuple[int, str] | None:
    """Index and delimiter of the first line (from ``start``, within GENERIC_PREAMBLE_LINES non-blank
    lines) whose first field is a timestamp."""
    seen = 0
    for i in range(start, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        seen += 1
        if seen > GENERIC_PREAMBLE_LINES + 1:
            return None
        sep, _ = _split_header(line)
        if _looks_like_time(line.split(sep)[0]):
            return i, sep
    return None


def read_generic(text: str, header_idx: int, sep: str) -> Grid:
    lines = text[:200_000].splitlines()
    first_line_text = lines[header_idx]
    unknown = MeterFileError(
        errors.UNKNOWN_FORMAT,
        Note(
            "The file format was not recognised (first line: %(line)s).", {"line": repr(first_line_text[:80])}
        ).then(EXPECTED),
    )
    found = _find_data_start(lines, header_idx)
    if found is None:
        raise unknown
    data_idx, sep = found
    preamble: list[str] = []
    if data_idx > header_idx:
        # the non-blank line just above the data is the header; anything above it is a preamble
        above = [i for i in range(header_idx, data_idx) if lines[i].strip()]
        header_idx = above[-1]
        preamble = [lines[i] for i in above[:-1]]
    else:
        header_idx = data_idx
    has_header = header_idx != data_idx
    first_field = lines[header_idx].split(sep)[0]
    if has_header and any(ch.isdigit() for ch in first_field) and not any(ch.isalpha() for ch in first_field):
        raise unknown
    try:
        df, first_line = _read_table(text, header_idx, sep, header=has_header)
        blank = _blank_rows(df, list(df.columns[:2]))
    except MeterFileError as exc:
        if exc.code == errors.EMPTY:  # a single line that is no known header: not a meter export
            raise unknown from exc
        raise
    # drop trailing empty columns (lines ending with a delimiter)
    while df.shape[1] > 2 and df.iloc[:, -1].isna().all():
        df = df.iloc[:, :-1]
    cols = list(df.columns)
    sample = df[~blank].head(20)
    if len(sample) == 0:
        raise MeterFileError(errors.EMPTY, Note("The file has a header but no data rows."))
    # date and time in separate columns
    split_time = len(cols) >= 3 and all(_TIME_ONLY.match(str(v).strip()) for v in sample.iloc[:, 1])
    if split_time:
        stamp_sample = [f"{d} {t}" for d, t in zip(sample.iloc[:, 0], sample.iloc[:, 1], strict=True)]
        value_cols = cols[2:]
    else:
        stamp_sample = [str(v) for v in sample.iloc[:, 0]]
        value_cols = cols[1:]
    # "from;until;kWh": a second timestamp column (interval end) is not a value; the first is the start
    until_column = (
        not split_time
        and len(cols) >= 3
        and all(_looks_like_time(str(v)) for v in sample.iloc[:, 1])
        and not all(_looks_like_number(str(v)) for v in sample.iloc[:, 1])
    )
    if until_column:
        value_cols = cols[2:]
    # the first data row and most of the first 20 must carry a timestamp; other bad rows are reported
    # by line number later
    looks = [_looks_like_time(v) for v in stamp_sample]
    if not looks[0] or sum(looks) < 0.5 * len(looks):
        raise unknown
    # value columns: one or two by position (consumption, export); more only with a header that says
    # which are import and which export (tariff registers such as "Levering normaal", "Teruglevering dal"
    # are summed per direction)
    groups: list[list] = [[value_cols[0]], [value_cols[1]]] if len(value_cols) == 2 else [value_cols]
    if has_header and len(value_cols) >= 2:
        kinds = [_column_kind(_norm(str(c))) for c in value_cols]
        imp_cols = [c for c, k in zip(value_cols, kinds, strict=True) if k == "import"]
        exp_cols = [c for c, k in zip(value_cols, kinds, strict=True) if k == "export"]
        if len(value_cols) == 2 and kinds[0] == "export" and kinds[1] != "export":
            groups = [[value_cols[1]], [value_cols[0]]]
        elif len(value_cols) > 2 and imp_cols:
            groups = [imp_cols] + ([exp_cols] if exp_cols else [])
    if len(value_cols) > 2 and len(groups) == 1 and len(groups[0]) > 2:
        raise unknown
    value_cols = [c for g in groups for c in g]
    utc = _parse_instants(df[cols[0]], df[cols[1]] if split_time else None)
    bad = (utc == _NAT) & ~blank
    # interval-end stamps: a "24:00" time, or a time column named "tot"/"until"/"end"
    time_names = (
        [_norm(str(c)) for c in cols[: 2 if split_time else 1]] if has_header and not until_column else []
    )
    stamp_codes, stamp_uniq = _uniques(df[cols[1] if split_time else cols[0]])
    end_stamped = any(u.endswith(("24:00", "24:00:00")) for u in stamp_uniq) or any(
        n.split()[0] in ("tot", "until", "end", "eind", "einde", "to") for n in time_names if n
    )
    decimal_comma = sep != "," or any(
        not pd.api.types.is_numeric_dtype(df[c].dtype) and any("," in u for u in _uniques(df[c])[1][:1000])
        for c in value_cols
    )
    series = []
    for group in groups:
        cols_v = []
        for c in group:
            v, b = _to_float(df[c], decimal_comma=decimal_comma)
            cols_v.append(v)
            bad |= b & ~blank
        m = np.column_stack(cols_v)
        # a row counts when any column of the group has a value (empty tariff columns are 0 then)
        series.append(np.where(np.isnan(m).all(axis=1), np.nan, np.nansum(m, axis=1)))
    _raise_bad(bad, first_line, Note("timestamp or kWh value"))
    ok = ~blank
    utc = utc[ok]
    if end_stamped:
        utc = utc - detect_step(utc)
    imp = series[0][ok]
    exp = series[1][ok] if len(series) == 2 else None
    warn: list[str] = []
    if end_stamped:
        warn.append(
            Note("Timestamps are interval ends (a 24:00 time or a 'tot/until' column): read as such.")
        )
    if preamble:
        warn.append(
            Note(
                "%(count)d line(s) above the column header were skipped (e.g. %(example)s).",
                {"count": len(preamble), "example": repr(preamble[0][:60])},
            )
        )
    details = {
        "header": has_header,
        "delimiter": sep,
        "decimalComma": bool(decimal_comma),
        "importColumns": [str(c) for c in groups[0]],
        "exportColumns": [str(c) for c in groups[1]] if len(groups) == 2 else [],
    }
    if _is_cumulative(utc, imp, [_norm(str(c)) for c in value_cols] if has_header else []):
        warn.append(
            Note("The values only ever increase: read as cumulative meter readings (differences taken).")
        )
        return _cumulative_grid(GENERIC, utc, imp, exp, warn, details)
    if exp is None and np.nanmin(imp) < 0:
        warn.append(
            Note(
                "The single value column has negative values: read as net consumption; negative hours became "
                "export."
            )
        )
        exp = np.where(np.isnan(imp), np.nan, np.maximum(-imp, 0.0))
        imp = np.where(np.isnan(imp), np.nan, np.maximum(imp, 0.0))
    return _interval_grid(GENERIC, utc, imp, exp, warn, details)


def _column_kind(name: str) -> str:
    """'export', 'import' or 'other' from a generic column header."""
    if any(w in name for w in _OTHER_WORDS):
        return "other"
    if any(w in name for w in _EXPORT_WORDS):
        return "export"
    if any(w in name for w in _IMPORT_WORDS):
        return "import"
    return "other"


_IMPORT_WORDS = (
    "import",
    "levering",
    "verbruik",
    "afname",
    "consum",
    "offtake",
    "kwh",
    "normaal",
    "dal",
    "piek",
    "tarief",
    "t1",
    "t2",
    "electricity",
    "elektriciteit",
    "stroom",
)
_OTHER_WORDS = (
    "gas",
    "water",
    "max",
    "temp",
    "power",
    "vermogen",
    " kw ",
    "m3",
    "m³",
    "kosten",
    "eur",
    "prijs",
)


def _is_cumulative(utc: np.ndarray, values: np.ndarray, names: list[str]) -> bool:
    """A meter register rather than interval values: monotone non-decreasing in time, rising, over at
    least MIN_CUMULATIVE_ROWS readings, and either named so in the header or large compared with its
    steps (first reading >= CUMULATIVE_LEVEL_RATIO x the median step: a register at 15 000 kWh rising
    0.5 kWh per hour, not a column of small hourly amounts that happens to rise)."""
    order = np.argsort(utc, kind="stable")
    v = values[order]
    v = v[~np.isnan(v)]
    if len(v) < MIN_CUMULATIVE_ROWS:
        return False
    d = np.diff(v)
    if not ((d >= 0).all() and v[-1] > v[0] and v[0] >= 0 and (d > 0).sum() >= 2):
        return False
    if any(w in n for n in names for w in _CUMULATIVE_WORDS):
        return True
    return bool(v[0] >= CUMULATIVE_LEVEL_RATIO * np.median(d[d > 0]))


_CUMULATIVE_WORDS = ("stand", "reading", "cumul", "register", "totaal", "total")


READERS = {
    FLUVIUS: read_fluvius,
    HOMEWIZARD: read_homewizard,
    DSMR_READER: read_dsmr_reader,
    GENERIC: read_generic,
}
