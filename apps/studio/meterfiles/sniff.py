"""Bytes to text, and which meter-file layout the text is (see DESIGN.md, Appendix A).

``decode`` refuses binary, oversized and unreadable files; ``detect`` names the layout from the header (never
the file name) or rejects P1 telegrams, gas, water and daily files with a message for the uploader. The
format readers use ``norm``, ``split_header`` and ``gas_error`` too.
"""

from __future__ import annotations

import re

from . import errors
from .constants import DSMR_READER, FLUVIUS, GENERIC, HOMEWIZARD, MAX_FILE_BYTES, MAX_FILE_LINES
from .errors import MeterFileError
from .result import Figure, Note

EXPECTED_FORMATS = (
    "a Fluvius 'verbruikshistoriek' CSV (15-minute or hourly), a HomeWizard Energy CSV export "
    "(15-minute readings), a DSMR-reader hour-totals CSV, or a simple CSV with a timestamp column and "
    "one or two kWh columns (consumption, optionally export) per hour or quarter-hour"
)
EXPECTED = f"Expected: {EXPECTED_FORMATS}."
"""The sentence that follows every unknown-format rejection (a msgid of its own, see Note)."""

_OBIS_LINE = re.compile(r"^\s*\d-\d:\d{1,3}\.\d{1,3}\.\d{1,3}\(")
_P1_TIMESTAMP = re.compile(r"0-0:1\.0\.0\((\d{12})[WS]\)")


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


def split_header(line: str) -> tuple[str, list[str]]:
    counts = {sep: line.count(sep) for sep in (";", "\t", ",")}
    sep = max(counts, key=lambda k: counts[k]) if max(counts.values()) > 0 else ","
    fields = [f.strip().strip('"').strip("'").strip().lower() for f in line.split(sep)]
    return sep, fields


def norm(name: str) -> str:
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
    sep, fields = split_header(header_line)
    joined = " ".join(fields)
    nfields = [norm(f) for f in fields]
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
        raise gas_error()
    if "register" in nfields and "volume" in nfields and nfields[0].startswith(("van", "from")):
        return FLUVIUS, header_idx, sep, nfields
    if nfields[0] == "time":
        rest = nfields[1:]
        if any(f.startswith("import") and "kwh" in f for f in rest):
            return HOMEWIZARD, header_idx, sep, nfields
        if any("gas" in f for f in rest):
            raise gas_error()
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


def gas_error() -> MeterFileError:
    return MeterFileError(
        errors.GAS,
        Note(
            "This is a gas consumption export (m³), not electricity. Upload the electricity export of the "
            "same meter or portal (kWh, hourly or per 15 minutes)."
        ),
    )
