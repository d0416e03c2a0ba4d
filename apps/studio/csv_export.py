"""CSV export of a studio profile: 8760 rows of hourly kWh with timestamps.

Columns: ``timestamp`` (hour start, ISO 8601, local standard time UTC+1, on the profile's year; the
reference year has no 29 February), ``consumption_kwh`` (the result: grid import after all layers),
``export_kwh`` (grid export), ``production_kwh`` (solar layer). Comma-separated, dot decimals, six decimals,
so the column sum equals the profile's totals to within rounding (< 0.005 kWh over the year).
"""

from __future__ import annotations

import io

import numpy as np

from apps.engine.timebase import HOURS
from apps.studio.charts import hour_labels

HEADER = ("timestamp", "consumption_kwh", "export_kwh", "production_kwh")


def profile_csv(
    *, year: int, result: np.ndarray, export: np.ndarray | None, production: np.ndarray | None
) -> str:
    zeros = np.zeros(HOURS)
    columns = [
        np.asarray(series if series is not None else zeros, dtype=float)
        for series in (result, export, production)
    ]
    out = io.StringIO()
    out.write(",".join(HEADER) + "\n")
    for stamp, imp, exp, prod in zip(hour_labels(year), *(c.tolist() for c in columns), strict=True):
        out.write(f"{stamp},{imp:.6f},{exp:.6f},{prod:.6f}\n")
    return out.getvalue()
