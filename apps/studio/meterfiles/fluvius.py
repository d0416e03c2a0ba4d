"""Fluvius "verbruikshistoriek" CSV exports (all four header spellings; 15-minute or hourly)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import errors
from .constants import FLUVIUS
from .errors import MeterFileError
from .result import Note
from .sniff import gas_error, norm
from .table import NAT, blank_rows, lookup, parse_local, raise_bad, read_table, text_column, to_float, uniques
from .timebase import (
    Grid,
    check_step,
    dst_warnings,
    grid_bounds,
    intervals_to_grid,
    local_to_utc,
    trim_history,
)

FLUVIUS_RESOLUTION_SAMPLE = 5000  # rows whose Until - From gives the resolution
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
    df, first_line = read_table(text, header_idx, sep, usecols=lambda c: norm(c) in _FLUVIUS_COLUMNS)
    rename = {c: _FLUVIUS_COLUMNS[norm(c)] for c in df.columns if norm(c) in _FLUVIUS_COLUMNS}
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
    blank = blank_rows(df, ["from_date", "register", "volume"])
    units = text_column(df["unit"]) if "unit" in df.columns else np.full(len(df), "", dtype=object)
    gas_rows = np.isin(units, ["m³", "m3", "m^3"])
    if gas_rows.any() and not (units == "kwh").any():
        raise gas_error()
    dates = df["from_date"].dropna()
    first_date = str(dates.iloc[0]).strip() if len(dates) else ""
    dfmt = "%d/%m/%Y" if "/" in first_date else "%d-%m-%Y"
    dformats = (dfmt, "%Y-%m-%d", "ISO8601")
    from_local = parse_local(df["from_date"], dformats, df["from_time"])
    reg = text_column(df["register"])
    volume, bad_vol = to_float(df["volume"], decimal_comma=True)
    raise_bad(((from_local == NAT) | bad_vol) & ~blank, first_line, Note("date/time or volume"))
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
        codes, uniq = uniques(df["status"])
        none_u = np.array(
            [("geen verbruik" in u.lower()) or ("no consumption" in u.lower()) for u in uniq], bool
        )
        none_used = lookup(codes, none_u, False)
        volume = np.where(np.isnan(volume) & none_used, 0.0, volume)
    used = is_imp | is_exp
    # resolution = Until - From, from the first rows (Until is used for nothing else)
    sample_rows = np.flatnonzero(used)[:FLUVIUS_RESOLUTION_SAMPLE]
    until_local = parse_local(
        df["until_date"].iloc[sample_rows], dformats, df["until_time"].iloc[sample_rows]
    )
    bad_until = np.zeros(len(df), dtype=bool)
    bad_until[sample_rows[until_local == NAT]] = True
    raise_bad(bad_until, first_line, Note("Until date/time"))
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
