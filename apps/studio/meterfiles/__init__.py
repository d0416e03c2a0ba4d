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

Methods (each documented where it is implemented):

* Layouts (DESIGN.md, Appendix A) are recognised from the header, not the file name: Fluvius
  verbruikshistoriek (all four header spellings), HomeWizard Energy, DSMR-reader hour totals, and a
  generic timestamp + kWh CSV (delimiter, decimal comma, header, date/time columns, tariff columns and
  cumulative readings detected). P1 telegrams, gas and water files, daily files, binary/Excel files,
  empty and oversized files, and unreadable rows are rejected with a message for the uploader.
* Time: wall-clock times without an offset are Europe/Brussels (= Europe/Amsterdam) time; the repeated
  autumn hour is resolved by order of appearance (first = summer time), per register. Everything is
  converted to UTC, put on a regular grid at the file's resolution, and summed into hours of standard
  time (UTC+1), so the autumn day has 25 hours and the spring day 23.
* Gaps (``timebase.fill_gaps``): <= 2 h linear; longer: same weekday and time in the 4 weeks before
  and after (nearer weeks weigh more); cumulative readings (HomeWizard, generic) keep the energy the
  readings say was used over a gap. Every gap is listed (start, end, hours, energy known or not).
* Year (``timebase.to_reference_year``): the most recent 365 days (366 when they contain 29 February,
  which is then dropped) are placed on the reference year by month, day and hour. A shorter period is
  completed from a monthly seasonal shape (``constants.MONTHLY_SHARE_*``) scaled to the measured hours,
  with the hour-of-day profile of the nearest measured month; at least 7 days are required.
* Totals: for a full year without gaps the profile's sum equals the file's total (tests assert 1e-6).
"""

from __future__ import annotations

from .constants import (
    DSMR_READER,
    FLUVIUS,
    GENERIC,
    HOMEWIZARD,
    HOURS_PER_YEAR,
    MAX_FILE_BYTES,
    MAX_FILE_LINES,
    STANDARD_TIME,
)
from .dsmr_reader import read_dsmr_reader
from .errors import ERROR_CODES, MeterFileError
from .fluvius import read_fluvius
from .generic import read_generic
from .homewizard import read_homewizard
from .result import Gap, GapReport, MeterSeries, ParsedMeterFile
from .sniff import EXPECTED_FORMATS, decode, detect
from .timebase import Grid, finish, to_reference_year

FORMATS = (FLUVIUS, HOMEWIZARD, DSMR_READER, GENERIC)
# The dispatcher: ``sniff.detect`` names the layout, its reader (one module per format) parses it.
READERS = {
    FLUVIUS: read_fluvius,
    HOMEWIZARD: read_homewizard,
    DSMR_READER: read_dsmr_reader,
    GENERIC: read_generic,
}

__all__ = [
    "ERROR_CODES",
    "EXPECTED_FORMATS",
    "FORMATS",
    "HOURS_PER_YEAR",
    "MAX_FILE_BYTES",
    "MAX_FILE_LINES",
    "STANDARD_TIME",
    "Gap",
    "GapReport",
    "Grid",
    "MeterFileError",
    "MeterSeries",
    "ParsedMeterFile",
    "detect_format",
    "finish",
    "parse_meter_file",
    "read_meter_file",
    "read_meter_grid",
    "to_reference_year",
]


def detect_format(data: bytes) -> str:
    """The layout of ``data`` (one of :data:`FORMATS`), or :class:`MeterFileError` for files that are
    recognised as something else (P1 telegram, gas, daily, empty, too large)."""
    return detect(decode(data))[0]


def read_meter_grid(data: bytes, filename: str = "") -> Grid:
    """The file's values on a regular UTC grid at its own resolution, before anything is summed into hours
    (what the quarter-hour peaks of the capacity tariff are read from).

    ``filename`` is only used in messages; the format is detected from the content.
    """
    text = decode(data)
    fmt, header_idx, sep, _fields = detect(text)
    grid = READERS[fmt](text, header_idx, sep)
    if filename:
        grid.details["filename"] = filename
    return grid


def read_meter_file(data: bytes, filename: str = "") -> MeterSeries:
    """Stage 1: parse ``data`` into hourly standard-time values over the file's own period."""
    return finish(read_meter_grid(data, filename))


def parse_meter_file(data: bytes, filename: str = "") -> ParsedMeterFile:
    """Parse an uploaded meter export into the 8760-hour reference-year profile and its report."""
    return to_reference_year(read_meter_file(data, filename))
