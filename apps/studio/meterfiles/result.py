"""Result types of the meter-file parser (plain dataclasses, numpy arrays)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from .constants import STANDARD_TIME


class Note(str):
    """A parser note in English that remembers how it was made, so the Django side can show it in the user's
    language: ``parts`` are (template, params) pairs, each template a msgid of the portal's translations and
    ``template % params`` its English text; the parts are joined by spaces."""

    parts: tuple[tuple[str, dict | None], ...]

    def __new__(cls, template: str, params: dict | None = None, *, _parts=None):
        parts = _parts or ((template, params),)
        text = " ".join(t % p if p else t for t, p in parts)
        note = super().__new__(cls, text)
        note.parts = parts
        return note

    def then(self, template: str, params: dict | None = None) -> Note:
        """This note followed by another sentence."""
        return Note("", _parts=(*self.parts, (template, params)))

    def translated(self, gettext, number=None) -> str:
        """The note through ``gettext`` (Django's, passed in: this package imports no Django); a param that
        is itself a Note (a phrase such as "timestamp or kWh value") is translated too, and a Figure goes
        through ``number(value, decimals)`` (the language's number format) when given."""

        def params(p: dict) -> dict:
            return {
                k: v.translated(gettext, number)
                if isinstance(v, Note)
                else (number(v.plain(), v.decimals) if number and isinstance(v, Figure) else v)
                for k, v in p.items()
            }

        return " ".join(gettext(t) % params(p) if p else gettext(t) for t, p in self.parts)


class Figure(float):
    """A number shown with digit grouping and ``decimals`` decimals: "600,000" or "2.5" in English text,
    the language's number format in ``Note.translated`` (Dutch "600.000", "2,5")."""

    decimals: int

    def __new__(cls, value: float, decimals: int = 0):
        figure = super().__new__(cls, value)
        figure.decimals = decimals
        return figure

    def plain(self) -> float | int:
        return float(self) if self.decimals else int(self)

    def __str__(self) -> str:
        return f"{float(self):,.{self.decimals}f}"


@dataclass(frozen=True)
class Gap:
    """One run of missing data that was estimated, in standard time (UTC+1); ``end`` is exclusive."""

    start: datetime
    end: datetime
    # True when the energy over the gap was known from cumulative readings on both sides (only its
    # distribution over the hours was estimated); False when the energy itself was estimated.
    total_known: bool

    @property
    def hours(self) -> float:
        return (self.end - self.start) / timedelta(hours=1)


@dataclass(frozen=True)
class GapReport:
    """Gaps inside the period used for the profile."""

    count: int = 0
    filled_hours: int = 0  # hourly values that contain estimated data
    largest_gap_hours: float = 0.0
    largest_gap_start: datetime | None = None
    largest_gap_end: datetime | None = None
    gaps: tuple[Gap, ...] = ()


@dataclass
class MeterSeries:
    """Stage 1: the file's data as a contiguous hourly series in standard time (UTC+1), gaps filled.

    ``import_kwh[i]`` is the energy [kWh] of the hour starting at ``start + i hours``.
    """

    format: str
    resolution_minutes: int
    start: datetime
    import_kwh: np.ndarray
    export_kwh: np.ndarray | None
    estimated: np.ndarray  # bool per hour: the hour contains estimated (gap-filled) data
    measured_import_kwh: np.ndarray  # per hour, only the measured part (0 where estimated)
    measured_export_kwh: np.ndarray | None
    source_total_import_kwh: float
    source_total_export_kwh: float | None
    gaps: list[Gap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def hours(self) -> int:
        return len(self.import_kwh)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(hours=self.hours)

    def hour_index(self) -> pd.DatetimeIndex:
        """Start of every hour, timezone-aware in standard time (UTC+1)."""
        return pd.date_range(self.start, periods=self.hours, freq="h")

    def to_frame(self) -> pd.DataFrame:
        data = {"import_kwh": self.import_kwh, "estimated": self.estimated}
        if self.export_kwh is not None:
            data["export_kwh"] = self.export_kwh
        return pd.DataFrame(data, index=self.hour_index())


@dataclass
class ParsedMeterFile:
    """Stage 2: the profile on the engine's time base plus a report of what was done.

    ``consumption_kwh`` / ``export_kwh`` hold 8760 hourly values [kWh] of a non-leap reference year in
    standard time (index 0 = 1 January 00:00-01:00 UTC+1). Hours are placed by month, day and hour of
    the period used (29 February is dropped), so a period from June to June wraps round the year.
    """

    format: str
    consumption_kwh: np.ndarray
    export_kwh: np.ndarray | None
    resolution_minutes: int
    period_start: datetime  # first hour of the period used (standard time), inclusive
    period_end: datetime  # exclusive
    source_period_start: datetime  # whole file
    source_period_end: datetime
    source_total_import_kwh: float  # as in the file (sum of interval values / last - first reading)
    source_total_export_kwh: float | None
    period_import_kwh: float  # measured import inside the period used (no estimates)
    period_export_kwh: float | None
    gaps: GapReport
    coverage_days: float  # days of the reference year covered by the file's period
    completed_hours: int  # hours of the reference year with no data, completed from a seasonal shape
    warnings: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def total_consumption_kwh(self) -> float:
        return float(self.consumption_kwh.sum())

    @property
    def total_export_kwh(self) -> float | None:
        return None if self.export_kwh is None else float(self.export_kwh.sum())

    def report(self) -> dict:
        """JSON-ready summary (no hourly arrays) for the upload service and the portal."""

        def iso(value: datetime | None) -> str | None:
            return None if value is None else value.astimezone(STANDARD_TIME).isoformat()

        return {
            "format": self.format,
            "resolutionMinutes": self.resolution_minutes,
            "periodStart": iso(self.period_start),
            "periodEnd": iso(self.period_end),
            "sourcePeriodStart": iso(self.source_period_start),
            "sourcePeriodEnd": iso(self.source_period_end),
            "sourceTotalImportKwh": round(self.source_total_import_kwh, 3),
            "sourceTotalExportKwh": None
            if self.source_total_export_kwh is None
            else round(self.source_total_export_kwh, 3),
            "totalKwh": round(self.total_consumption_kwh, 3),
            "totalExportKwh": None if self.export_kwh is None else round(self.total_export_kwh, 3),
            "coverageDays": round(self.coverage_days, 2),
            "completedHours": self.completed_hours,
            "gaps": {
                "count": self.gaps.count,
                "filledHours": self.gaps.filled_hours,
                "largestGapHours": self.gaps.largest_gap_hours,
                "largestGapStart": iso(self.gaps.largest_gap_start),
                "largestGapEnd": iso(self.gaps.largest_gap_end),
            },
            "warnings": list(self.warnings),
        }
