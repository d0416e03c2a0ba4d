"""Flemish geolocation service v4 (Digitaal Vlaanderen, built on the Flemish address register):
the network call and a pure parser.

Documented response (geo.api.vlaanderen.be/geolocation/v4/Location):
``{"LocationResult": [{"FormattedAddress": "...", "Zipcode": "9000", "Housenumber": "1",
"LocationType": "crab_huisnummer_afgeleidVanGebouw", "Location": {"Lat_WGS84": .., "Lon_WGS84": ..,
"X_Lambert72": .., "Y_Lambert72": ..}, "BoundingBox": {...}}]}``. Only house-number results count as an
address; a street or municipality result is left to the postcode table."""

from typing import Any

from apps.dossiers.geocoding.types import AddressPoint

URL = "https://geo.api.vlaanderen.be/geolocation/v4/Location"


def fetch_geolocation_json(*, query: str, timeout: float) -> dict[str, Any]:
    """Look up one address, e.g. "Veldstraat 1, 9000 Gent" (network); raises httpx errors on failure."""
    import httpx  # local import: only the production path needs it

    response = httpx.get(URL, params={"q": query, "c": 1}, timeout=timeout)
    response.raise_for_status()
    return response.json()


def parse_geolocation(body: dict[str, Any]) -> AddressPoint | None:
    """The first house-number result's WGS84 point, or None when there is none.

    Raises ValueError on a body that is not in the documented shape."""
    try:
        results = body["LocationResult"]
    except (KeyError, TypeError) as exc:
        raise ValueError("geolocation body has no LocationResult") from exc
    for result in results:
        if "huisnummer" not in str(result.get("LocationType", "")).lower():
            continue
        try:
            location = result["Location"]
            latitude, longitude = float(location["Lat_WGS84"]), float(location["Lon_WGS84"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError("geolocation result has no Location.Lat_WGS84/Lon_WGS84") from exc
        return AddressPoint(
            latitude=latitude, longitude=longitude, label=str(result.get("FormattedAddress", ""))
        )
    return None
