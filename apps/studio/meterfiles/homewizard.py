"""HomeWizard Energy CSV exports: cumulative meter readings every 15 minutes."""

from __future__ import annotations

import numpy as np

from .constants import HOMEWIZARD
from .result import Note
from .sniff import norm
from .table import NAT, blank_rows, cumulative_grid, parse_local, raise_bad, read_table, to_float
from .timebase import Grid, dst_warnings, local_to_utc


def read_homewizard(text: str, header_idx: int, sep: str) -> Grid:
    df, first_line = read_table(text, header_idx, sep)
    cols = {norm(c): c for c in df.columns}
    time_col = cols["time"]
    imp_cols = [c for k, c in cols.items() if k.startswith("import")]
    exp_cols = [c for k, c in cols.items() if k.startswith("export")]
    blank = blank_rows(df, [time_col, *imp_cols[:1]])
    local = parse_local(df[time_col], ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "ISO8601"))
    bad = (local == NAT) & ~blank
    values = {}
    for c in imp_cols + exp_cols:
        v, b = to_float(df[c], decimal_comma=False)
        values[c] = v
        bad |= b & ~blank
    raise_bad(bad, first_line, Note("time or kWh reading"))
    ok = ~blank
    local = local[ok]
    cum_imp = np.sum([values[c][ok] for c in imp_cols], axis=0)  # NaN if any tariff is empty (offline)
    cum_exp = np.sum([values[c][ok] for c in exp_cols], axis=0) if exp_cols else None
    utc, info = local_to_utc(local)
    return cumulative_grid(
        HOMEWIZARD,
        utc,
        cum_imp,
        cum_exp,
        dst_warnings(info),
        {"importColumns": imp_cols, "exportColumns": exp_cols, "rows": int(ok.sum())},
    )
