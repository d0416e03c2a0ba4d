"""PDOK Locatieserver v3.1 ``/free`` (NL addresses from the BAG): the network call and a pure parser.

Documented response (github.com/PDOK/locatieserver wiki, api.pdok.nl/bzk/locatieserver/search/v3_1/ui):
``{"response": {"numFound": n, "docs": [{"type": "adres", "weergavenaam": "...", "postcode": "3511AW",
"huisnummer": 112, "centroide_ll": "POINT(lon lat)", ...}]}}``."""

import re
from typing import Any

from apps.dossiers.geocoding.types import AddressPoint

URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
_POINT = re.compile(r"^POINT\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)$")


def fetch_pdok_json(*, postcode: str, house_number: str, timeout: float) -> dict[str, Any]:
    """Search one address by postcode and house number (network); raises httpx errors on failure."""
    import httpx  # local import: only the production path needs it

    query = f"postcode:{postcode.replace(' ', '').upper()} and huisnummer:{house_number}"
    response = httpx.get(
        URL,
        params={"q": query, "fq": "type:adres", "rows": 1, "fl": "weergavenaam,centroide_ll,type"},
        timeout=timeout,
    )
    response.raise_for_status()
    return response.json()


def parse_pdok_free(body: dict[str, Any]) -> AddressPoint | None:
    """The first address document's point, or None when PDOK found no address.

    Raises ValueError on a body that is not in the documented shape (so a changed API is noticed)."""
    try:
        docs = body["response"]["docs"]
    except (KeyError, TypeError) as exc:
        raise ValueError("PDOK body has no response.docs") from exc
    for doc in docs:
        if doc.get("type") != "adres":
            continue
        match = _POINT.match(str(doc.get("centroide_ll", "")))
        if not match:
            raise ValueError(f"PDOK centroide_ll is not a WKT point: {doc.get('centroide_ll')!r}")
        longitude, latitude = float(match.group(1)), float(match.group(2))
        return AddressPoint(latitude=latitude, longitude=longitude, label=str(doc.get("weergavenaam", "")))
    return None
