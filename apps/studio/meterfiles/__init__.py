"""Meter-file parsing for studio profiles (pure Python + pandas/numpy; no Django).

    >>> result = parse_meter_file(uploaded_bytes, "export.csv")
    >>> result.consumption_kwh.shape  # (8760,) kWh per hour of the reference year, UTC+1
    (8760,)

Two stages, both public:

* :func:`read_meter_file` detects the layout from the content and returns a :class:`MeterSeries`: the
  file's own period as contiguous hourly values in standard time (UTC+1), gaps filled and listed.
* :func:`to_reference_year` maps that series onto the engine's 8760-hour non-leap year (most recent
  365 days; a partial year completed from a seasonal shape) and returns a :class:`ParsedMeterFile`.

:func:`parse_meter_file` does both. Every rejection raises :class:`MeterFileError` (``code``,
``message``, ``lines``).
"""

from __future__ import annotations

from .constants import HOURS_PER_YEAR, MAX_FILE_BYTES, STANDARD_TIME
from .errors import ERROR_CODES, MeterFileError
from .readers import DSMR_READER, EXPECTED_FORMATS, FLUVIUS, GENERIC, HOMEWIZARD, READERS, decode, detect
from .result import Gap, GapReport, MeterSeries, ParsedMeterFile
from .timebase import finish, to_reference_year

FORMATS = (FLUVIUS, HOMEWIZARD, DSMR_READER, GENERIC)

__all__ = [
    "ERROR_CODES",
    "EXPECTED_FORMATS",
    "FORMATS",
    "HOURS_PER_YEAR",
    "MAX_FILE_BYTES",
    "STANDARD_TIME",
    "Gap",
    "GapReport",
    "MeterFileError",
    "MeterSeries",
    "ParsedMeterFile",
    "detect_format",
    "parse_meter_file",
    "read_meter_file",
    "to_reference_year",
]


def detect_format(data: bytes) -> str:
    """The layout of ``data`` (one of :data:`FORMATS`), or :class:`MeterFileError` for files that are
    recognised as something else (P1 telegram, gas, daily, empty, too large)."""
    return detect(decode(data))[0]


def read_meter_file(data: bytes, filename: str = "") -> MeterSeries:
    """Stage 1: parse ``data`` into hourly standard-time values over the file's own period.

    ``filename`` is only used in messages; the format is detected from the content.
    """
    text = decode(data)
    fmt, header_idx, sep, _fields = detect(text)
    grid = READERS[fmt](text, header_idx, sep)
    if filename:
        grid.details["filename"] = filename
    return finish(grid)


def parse_meter_file(data: bytes, filename: str = "") -> ParsedMeterFile:
    """Parse an uploaded meter export into the 8760-hour reference-year profile and its report."""
    return to_reference_year(read_meter_file(data, filename))
