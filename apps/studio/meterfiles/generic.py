"""A generic CSV: a timestamp (or date and time columns) and one or two kWh columns (consumption,
optionally export; tariff registers summed; interval values or cumulative readings detected)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import errors
from .constants import CUMULATIVE_LEVEL_RATIO, GENERIC, MIN_CUMULATIVE_ROWS
from .errors import MeterFileError
from .result import Note
from .sniff import EXPECTED, norm, split_header
from .table import (
    NAT,
    TIME_FORMATS,
    blank_rows,
    cumulative_grid,
    interval_grid,
    parse_instants,
    raise_bad,
    read_table,
    to_float,
    uniques,
)
from .timebase import Grid, detect_step

GENERIC_PREAMBLE_LINES = 10  # title/metadata lines allowed above a generic file's column header
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
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
    for fmt in TIME_FORMATS[1:]:
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
        sep, _ = split_header(line)
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
        df, first_line = read_table(text, header_idx, sep, header=has_header)
        blank = blank_rows(df, list(df.columns[:2]))
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
        kinds = [_column_kind(norm(str(c))) for c in value_cols]
        imp_cols = [c for c, k in zip(value_cols, kinds, strict=True) if k == "import"]
        exp_cols = [c for c, k in zip(value_cols, kinds, strict=True) if k == "export"]
        if len(value_cols) == 2 and kinds[0] == "export" and kinds[1] != "export":
            groups = [[value_cols[1]], [value_cols[0]]]
        elif len(value_cols) > 2 and imp_cols:
            groups = [imp_cols] + ([exp_cols] if exp_cols else [])
    if len(value_cols) > 2 and len(groups) == 1 and len(groups[0]) > 2:
        raise unknown
    value_cols = [c for g in groups for c in g]
    stamp_codes, stamp_uniq = uniques(df[cols[1] if split_time else cols[0]])
    utc = parse_instants(
        df[cols[0]],
        df[cols[1]] if split_time else None,
        factorized=None if split_time else (stamp_codes, stamp_uniq),
    )
    bad = (utc == NAT) & ~blank
    # interval-end stamps: a "24:00" time, or a time column named "tot"/"until"/"end"
    time_names = (
        [norm(str(c)) for c in cols[: 2 if split_time else 1]] if has_header and not until_column else []
    )
    end_stamped = any(u.endswith(("24:00", "24:00:00")) for u in stamp_uniq) or any(
        n.split()[0] in ("tot", "until", "end", "eind", "einde", "to") for n in time_names if n
    )
    decimal_comma = sep != "," or any(
        not pd.api.types.is_numeric_dtype(df[c].dtype) and any("," in u for u in uniques(df[c])[1][:1000])
        for c in value_cols
    )
    series = []
    for group in groups:
        cols_v = []
        for c in group:
            v, b = to_float(df[c], decimal_comma=decimal_comma)
            cols_v.append(v)
            bad |= b & ~blank
        m = np.column_stack(cols_v)
        # a row counts when any column of the group has a value (empty tariff columns are 0 then)
        series.append(np.where(np.isnan(m).all(axis=1), np.nan, np.nansum(m, axis=1)))
    raise_bad(bad, first_line, Note("timestamp or kWh value"))
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
    if _is_cumulative(utc, imp, [norm(str(c)) for c in value_cols] if has_header else []):
        warn.append(
            Note("The values only ever increase: read as cumulative meter readings (differences taken).")
        )
        return cumulative_grid(GENERIC, utc, imp, exp, warn, details)
    if exp is None and np.nanmin(imp) < 0:
        warn.append(
            Note(
                "The single value column has negative values: read as net consumption; negative hours became "
                "export."
            )
        )
        exp = np.where(np.isnan(imp), np.nan, np.maximum(-imp, 0.0))
        imp = np.where(np.isnan(imp), np.nan, np.maximum(imp, 0.0))
    return interval_grid(GENERIC, utc, imp, exp, warn, details)


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
