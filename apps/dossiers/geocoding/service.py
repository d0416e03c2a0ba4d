"""One entry point for the dossier: postcode/address → coordinates with their accuracy.

Offline (the default and the embedded run): the postcode table, accuracy "postcode". With
``GEOCODER="online"``: the exact address from PDOK (NL) or the Flemish geolocation service (BE), cached
for a month, accuracy "address"; when the service is down, slow or finds nothing, the postcode table."""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from apps.dossiers.geocoding import pdok, postcodes, vlaanderen
from apps.dossiers.geocoding.types import AddressPoint

log = logging.getLogger(__name__)

ACCURACY_ADDRESS = "address"
ACCURACY_POSTCODE = "postcode"
ONLINE_TIMEOUT_S = 4.0  # an installer waits on the form: a slow service falls back to the postcode table
CACHE_SECONDS = 30 * 24 * 3600


class UnknownPostcode(ValueError):
    """The postcode is malformed or not in the table for its country."""


@dataclass(frozen=True)
class Located:
    latitude: float  # [degrees]
    longitude: float  # [degrees]
    accuracy: str  # ACCURACY_ADDRESS or ACCURACY_POSTCODE
    place: str


def lookup_fields() -> tuple[str, ...]:
    """The dossier fields the lookup depends on: a change to one of them asks for new coordinates."""
    if getattr(settings, "GEOCODER", "offline") == "online":
        return ("country", "postcode", "house_number", "address")
    return ("country", "postcode")


def locate(*, country: str, postcode: str, house_number: str = "", address: str = "") -> Located:
    """Coordinates for a postcode (and, online, the exact address); raises UnknownPostcode."""
    area = postcodes.lookup(country, postcode)
    if area is None:
        raise UnknownPostcode(postcode)
    if getattr(settings, "GEOCODER", "offline") == "online":
        point = _address_point(country, postcode, house_number, address)
        if point is not None:
            return Located(point.latitude, point.longitude, ACCURACY_ADDRESS, point.label or area.place)
    return Located(area.latitude, area.longitude, ACCURACY_POSTCODE, area.place)


def _address_point(country: str, postcode: str, house_number: str, address: str) -> AddressPoint | None:
    key = (
        "geocode:"
        + hashlib.sha256(f"{country}|{postcode}|{house_number}|{address}".upper().encode()).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # False marks "the service found no such address"
    try:
        point = _ask_service(country, postcode, house_number, address)
    except Exception as exc:  # noqa: BLE001 — any service failure falls back to the postcode table
        log.warning("geocoder %s unavailable, using the postcode table: %s", country, exc)
        return None
    cache.set(key, point or False, CACHE_SECONDS)
    return point


def _ask_service(country: str, postcode: str, house_number: str, address: str) -> AddressPoint | None:
    if country == "NL" and house_number and len(postcode.replace(" ", "")) == 6:
        body = pdok.fetch_pdok_json(postcode=postcode, house_number=house_number, timeout=ONLINE_TIMEOUT_S)
        return pdok.parse_pdok_free(body)
    if country == "BE" and address:
        query = f"{address}, {postcode}" if postcode not in address else address
        body = vlaanderen.fetch_geolocation_json(query=query, timeout=ONLINE_TIMEOUT_S)
        return vlaanderen.parse_geolocation(body)
    return None
