"""DSMR-reader hour-totals CSV exports."""

from __future__ import annotations

import numpy as np

from . import errors
from .constants import DSMR_READER
from .errors import MeterFileError
from .result import Note
from .sniff import EXPECTED, gas_error, norm
from .table import NAT, blank_rows, interval_grid, parse_instants, raise_bad, read_table, to_float
from .timebase import Grid


def read_dsmr_reader(text: str, header_idx: int, sep: str) -> Grid:
    df, first_line = read_table(text, header_idx, sep)
    names = {c: norm(c) for c in df.columns}
    time_col = df.columns[0]
    imp_cols = [c for c, k in names.items() if k.startswith("electricity") and "returned" not in k]
    exp_cols = [c for c, k in names.items() if k.startswith("electricity") and "returned" in k]
    gas_cols = [c for c, k in names.items() if k.startswith("gas")]
    if not imp_cols:
        raise MeterFileError(errors.UNKNOWN_FORMAT, Note("No electricity columns found.").then(EXPECTED))
    blank = blank_rows(df, [time_col, *imp_cols[:1]])
    utc = parse_instants(df[time_col])
    bad = (utc == NAT) & ~blank
    comma = sep != ","
    vals = {}
    for c in imp_cols + exp_cols + gas_cols:
        v, b = to_float(df[c], decimal_comma=comma)
        vals[c] = v
        bad |= b & ~blank & (c not in gas_cols)
    raise_bad(bad, first_line, Note("timestamp or kWh value"))
    ok = ~blank
    utc = utc[ok]
    # an hour is present when any of its columns has a value; empty tariff columns count as 0 then
    imp_m = np.column_stack([vals[c][ok] for c in imp_cols])
    exp_m = np.column_stack([vals[c][ok] for c in exp_cols]) if exp_cols else None
    imp = np.where(np.isnan(imp_m).all(axis=1), np.nan, np.nansum(imp_m, axis=1))
    exp = None if exp_m is None else np.where(np.isnan(exp_m).all(axis=1), np.nan, np.nansum(exp_m, axis=1))
    if gas_cols and not np.nansum(np.abs(imp_m)) and (exp_m is None or not np.nansum(np.abs(exp_m))):
        if np.nansum(np.abs(np.column_stack([vals[c][ok] for c in gas_cols]))) > 0:
            raise gas_error()
    return interval_grid(DSMR_READER, utc, imp, exp, [], {"rows": int(ok.sum())})
