"""The embedded postcode table: GeoNames postal codes for NL (four-digit areas) and BE, CC BY 4.0,
credit "GeoNames (geonames.org)". Built by scripts/build_postcode_table.py; loaded once per process."""

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "data" / "postcodes.tsv.gz"
COUNTRIES = ("NL", "BE")
# NL: four digits, optionally a space and two letters (the letters narrow a street, not kept here).
# BE: four digits.
_PATTERNS = {
    "NL": re.compile(r"^([1-9][0-9]{3})\s?([A-Z]{2})?$"),
    "BE": re.compile(r"^([1-9][0-9]{3})$"),
}


@dataclass(frozen=True)
class PostcodeArea:
    country: str
    postcode: str  # the four digits the table is keyed on
    place: str
    latitude: float  # [degrees]
    longitude: float  # [degrees]


def normalise(country: str, postcode: str) -> str | None:
    """The table key for a postcode as typed ("3511 aw" → "3511"), or None if it is not well formed."""
    match = _PATTERNS[country].match(postcode.strip().upper())
    return match.group(1) if match else None


def is_well_formed(country: str, postcode: str) -> bool:
    return normalise(country, postcode) is not None


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], PostcodeArea]:
    rows = {}
    with gzip.open(TABLE, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            country, postcode, place, lat, lon = line.rstrip("\n").split("\t")
            rows[(country, postcode)] = PostcodeArea(country, postcode, place, float(lat), float(lon))
    return rows


def lookup(country: str, postcode: str) -> PostcodeArea | None:
    """The postcode area's centre, or None when the postcode is malformed or not in the table."""
    key = normalise(country, postcode)
    return _table().get((country, key)) if key else None
