"""Synthetic meter exports in each supported layout, for tests and the benchmark only (never demo or product).

The energies are whole watt-hours, so the totals a test expects are exact sums of what the file says.
The load shape is made up (a base load, a morning and an evening peak, seeded noise) and the export a
daytime bell scaled by season; they are plausible, not measured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from apps.studio.meterfiles.constants import LOCAL_TZ


@dataclass
class SyntheticData:
    """Interval energies: interval ``i`` starts at ``utc_s[i]`` (epoch seconds) and lasts ``step_s``."""

    utc_s: np.ndarray
    step_s: int
    import_wh: np.ndarray
    export_wh: np.ndarray

    @property
    def total_import_kwh(self) -> float:
        return int(self.import_wh.sum()) / 1000

    @property
    def total_export_kwh(self) -> float:
        return int(self.export_wh.sum()) / 1000

    def local(self) -> pd.DatetimeIndex:
        """Interval starts as Brussels wall time (timezone-aware)."""
        return pd.DatetimeIndex(self.utc_s.astype("datetime64[s]")).tz_localize("UTC").tz_convert(LOCAL_TZ)


def synthetic_data(start: str, end: str, step_min: int = 15, seed: int = 1) -> SyntheticData:
    """Intervals from local midnight of ``start`` up to local midnight of ``end`` (dates, Brussels)."""
    t0 = pd.Timestamp(start, tz=LOCAL_TZ).tz_convert("UTC")
    t1 = pd.Timestamp(end, tz=LOCAL_TZ).tz_convert("UTC")
    step = step_min * 60
    utc = np.arange(int(t0.timestamp()), int(t1.timestamp()), step, dtype=np.int64)
    rng = np.random.default_rng(seed)
    hour = ((utc + 3600) % 86400) / 3600  # standard-time hour of day
    doy = ((utc + 3600) // 86400) % 365
    season = 1 + 0.25 * np.cos(2 * np.pi * doy / 365)  # more in winter
    per_hour = 0.25 + 0.35 * np.exp(-((hour - 7.5) ** 2) / 2) + 0.8 * np.exp(-((hour - 19) ** 2) / 4)
    per_hour = per_hour * season * rng.uniform(0.6, 1.4, len(utc))
    imp_wh = np.round(per_hour * 1000 * step_min / 60).astype(np.int64)
    sun = np.clip(np.cos((hour - 13) / 7 * np.pi / 2), 0, None) ** 2 * (
        1.2 - 0.8 * np.cos(2 * np.pi * doy / 365)
    )
    exp_kw = np.clip(3.0 * sun * rng.uniform(0.3, 1.0, len(utc)) - per_hour, 0, None)
    exp_wh = np.round(exp_kw * 1000 * step_min / 60).astype(np.int64)
    # the meter measures import or export per interval, not both
    imp_wh = np.where(exp_wh > 0, 0, imp_wh)
    return SyntheticData(utc_s=utc, step_s=step, import_wh=imp_wh, export_wh=exp_wh)


def _kwh(wh: np.ndarray, comma: bool) -> list[str]:
    text = [f"{v / 1000:.3f}" for v in wh.tolist()]
    return [t.replace(".", ",") for t in text] if comma else text


# --------------------------------------------------------------------------------------------------

FLUVIUS_HEADERS = {
    "old": "Van Datum;Van Tijdstip;Tot Datum;Tot Tijdstip;EAN;Meter;Metertype;Register;Volume;Eenheid;"
    "Validatiestatus",
    "2025": "Van datum;Van tijdstip;Tot datum;Tot tijdstip;EAN-code;Meter;Metertype;Register;Volume;Eenheid;"
    "Validatiestatus;Omschrijving",
    "newest": "Van (datum);Van (tijdstip);Tot (datum);Tot (tijdstip);EAN-code;Meter;Metertype;Register;Volume;"
    "Eenheid;Validatiestatus;Omschrijving",
    "english": "From (date);From (time);Until (date);Until (time);EAN code;Meter;Meter type;Register;Volume;"
    "Unit;Validation status;Description",
}


def fluvius_csv(
    data: SyntheticData, variant: str = "2025", drop: np.ndarray | None = None, export: bool = True
) -> bytes:
    """Fluvius 'verbruikshistoriek': one row per register per interval, rows ordered by local time
    (so the repeated autumn hour is interleaved, summer pass first), UTF-8 with BOM, ';', decimal comma.
    ``drop`` (bool per interval) leaves intervals out (gaps)."""
    english = variant == "english"
    header = FLUVIUS_HEADERS[variant]
    ncols = header.count(";") + 1
    keep = np.ones(len(data.utc_s), dtype=bool) if drop is None else ~drop
    # Fluvius orders rows by local wall time: a stable sort keeps the summer pass of the repeated
    # autumn hour before the winter pass, interleaved (02:00 S, 02:00 W, 02:15 S, ...)
    wall = data.local().tz_localize(None).asi8
    idx = np.flatnonzero(keep)
    idx = idx[np.argsort(wall[idx], kind="stable")]
    keep = idx
    local = data.local()[keep]
    end = (data.local() + pd.Timedelta(seconds=data.step_s))[keep]
    dfmt = "%d/%m/%Y" if english else "%d-%m-%Y"
    fd, ft = local.strftime(dfmt), local.strftime("%H:%M:%S")
    ud, ut = end.strftime(dfmt), end.strftime("%H:%M:%S")
    # day tariff Mon-Fri 07:00-22:00 local, night otherwise
    day = (local.day_of_week < 5) & (local.hour >= 7) & (local.hour < 22)
    imp = data.import_wh[keep]
    exp = data.export_wh[keep]
    names = (
        ("Offtake Day", "Offtake Night", "Injection Day", "Injection Night")
        if english
        else ("Afname Dag", "Afname Nacht", "Injectie Dag", "Injectie Nacht")
    )
    ok_status, none_status = ("Validated", "No consumption") if english else ("Gevalideerd", "Geen verbruik")
    meter = "1SAG1100000000" if english else "1SAG1100000000"
    mtype = "Digital meter" if english else "Digitale Meter"
    registers = [(names[0], imp, day), (names[1], imp, ~day)]
    if export:
        registers += [(names[2], exp, day), (names[3], exp, ~day)]
    n = len(local)
    per = len(registers)
    vol = np.empty((n, per), dtype=object)
    status = np.empty((n, per), dtype=object)
    for j, (_name, wh, active) in enumerate(registers):
        text = np.array(_kwh(wh, comma=True), dtype=object)
        has = active & (wh > 0)
        vol[:, j] = np.where(has, text, np.where(active, "0,000", ""))
        status[:, j] = np.where(has | active, ok_status, none_status)
    lines = ["\ufeff" + header]
    extra = ";" if ncols == 12 else ""
    ean = "541448800000000000"
    for i in range(n):
        for j, (name, _wh, _a) in enumerate(registers):
            lines.append(
                f"{fd[i]};{ft[i]};{ud[i]};{ut[i]};{ean};{meter};{mtype};{name};{vol[i, j]};kWh;{status[i, j]}{extra}"
            )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def homewizard_csv(
    data: SyntheticData,
    variant: str = "p1",
    offline: np.ndarray | None = None,
    phases: bool = False,
    start_import_kwh: float = 12345.678,
    start_export_kwh: float = 2345.678,
) -> bytes:
    """HomeWizard Energy CSV: cumulative readings at every interval boundary (first reading at the
    first interval start, last at the last interval end). ``offline`` (bool per reading, length
    intervals + 1) leaves readings empty."""
    n = len(data.utc_s)
    times = np.append(data.utc_s, data.utc_s[-1] + data.step_s)
    local = pd.DatetimeIndex(times.astype("datetime64[s]")).tz_localize("UTC").tz_convert(LOCAL_TZ)
    stamps = local.strftime("%Y-%m-%d %H:%M")
    low = (local.day_of_week >= 5) | (local.hour < 7) | (local.hour >= 23)
    low_iv = low[:n]
    base_i = round(start_import_kwh * 1000)
    base_e = round(start_export_kwh * 1000)
    imp1 = base_i // 2 + np.concatenate([[0], np.cumsum(np.where(low_iv, data.import_wh, 0))])
    imp2 = base_i - base_i // 2 + np.concatenate([[0], np.cumsum(np.where(low_iv, 0, data.import_wh))])
    exp1 = base_e // 2 + np.concatenate([[0], np.cumsum(np.where(low_iv, data.export_wh, 0))])
    exp2 = base_e - base_e // 2 + np.concatenate([[0], np.cumsum(np.where(low_iv, 0, data.export_wh))])
    off = np.zeros(n + 1, dtype=bool) if offline is None else offline
    if variant == "p1":
        header = "time,Import T1 kWh,Import T2 kWh,Export T1 kWh,Export T2 kWh"
        cols = [imp1, imp2, exp1, exp2]
    else:
        header = "time,Import kWh,Export kWh"
        cols = [imp1 + imp2, exp1 + exp2]
    if phases:
        header += ",L1 max W,L2 max W,L3 max W"
    texts = [_kwh(c, comma=False) for c in cols]
    lines = [header]
    for i in range(n + 1):
        if off[i]:
            fields = [""] * len(cols)
        else:
            fields = [t[i] for t in texts]
        if phases:
            fields += ["", "", ""] if off[i] else ["1200", "800", "650"]
        lines.append(stamps[i] + "," + ",".join(fields))
    return ("\n".join(lines) + "\n").encode("utf-8")


def dsmr_reader_csv(data: SyntheticData, drop: np.ndarray | None = None) -> bytes:
    """DSMR-reader hour totals (``data`` must be hourly): ISO timestamps with offset, per-hour kWh."""
    assert data.step_s == 3600
    keep = np.ones(len(data.utc_s), dtype=bool) if drop is None else ~drop
    local = data.local()
    stamps = [s[:-2] + ":" + s[-2:] for s in local.strftime("%Y-%m-%dT%H:%M:%S%z")]
    low = np.asarray((local.day_of_week >= 5) | (local.hour < 7) | (local.hour >= 23))
    e1 = _kwh(np.where(low, data.import_wh, 0), False)
    e2 = _kwh(np.where(low, 0, data.import_wh), False)
    r1 = _kwh(np.where(low, data.export_wh, 0), False)
    r2 = _kwh(np.where(low, 0, data.export_wh), False)
    lines = [
        "Hour Start,Electricity 1 (Dutch Users: Low Tariff),Electricity 2 (Dutch Users: Normal Tariff),"
        "Electricity 1 Returned (Dutch Users: Low Tariff),Electricity 2 Returned (Dutch Users: Normal Tariff),Gas"
    ]
    gas_hour = np.isin(np.asarray(local.hour), (6, 7, 18))
    for i in np.flatnonzero(keep).tolist():
        gas = "0.042" if gas_hour[i] else "0.000"
        lines.append(f"{stamps[i]},{e1[i]},{e2[i]},{r1[i]},{r2[i]},{gas}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def generic_csv(
    data: SyntheticData,
    sep: str = ",",
    decimal_comma: bool = False,
    header: bool = True,
    export: bool = True,
    cumulative: bool = False,
    time_format: str = "%Y-%m-%d %H:%M",
) -> bytes:
    """A plain CSV: local timestamp (interval start, or reading instant when cumulative), kWh import,
    optionally kWh export."""
    if cumulative:
        times = np.append(data.utc_s, data.utc_s[-1] + data.step_s)
        imp = 5000_000 + np.concatenate([[0], np.cumsum(data.import_wh)])
        exp = 1000_000 + np.concatenate([[0], np.cumsum(data.export_wh)])
    else:
        times, imp, exp = data.utc_s, data.import_wh, data.export_wh
    local = pd.DatetimeIndex(times.astype("datetime64[s]")).tz_localize("UTC").tz_convert(LOCAL_TZ)
    stamps = local.strftime(time_format)
    cols = [_kwh(imp, decimal_comma)] + ([_kwh(exp, decimal_comma)] if export else [])
    lines = []
    if header:
        lines.append(sep.join(["timestamp", "consumption_kwh"] + (["export_kwh"] if export else [])))
    for i in range(len(times)):
        lines.append(sep.join([stamps[i]] + [c[i] for c in cols]))
    return ("\n".join(lines) + "\n").encode("utf-8")
