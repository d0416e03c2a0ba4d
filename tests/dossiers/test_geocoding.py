"""The geocoder: pure parsers on recorded bodies in the vendors' documented formats (PDOK Locatieserver
v3.1 /free, Flemish geolocation v4), the embedded postcode table, and the fallback when a service fails.
No network: the fetch functions are replaced in the fallback tests."""

import json
from pathlib import Path

import httpx
import pytest

from apps.dossiers.geocoding import pdok, postcodes, service, vlaanderen

BODIES = Path(__file__).parent / "bodies"


def _body(name: str) -> dict:
    return json.loads((BODIES / name).read_text())


def test_pdok_address_point_is_lat_lon_from_the_wkt_lon_lat_point():
    # The recorded body's centroide_ll is "POINT(5.12034 52.09022)": WKT puts longitude first.
    point = pdok.parse_pdok_free(_body("pdok_free_adres.json"))
    assert (point.latitude, point.longitude) == (52.09022, 5.12034)
    assert point.label == "Oudegracht 112, 3511AW Utrecht"


def test_pdok_without_docs_is_no_address_and_a_changed_shape_is_an_error():
    assert pdok.parse_pdok_free(_body("pdok_free_empty.json")) is None
    with pytest.raises(ValueError):
        pdok.parse_pdok_free({"features": []})
    with pytest.raises(ValueError):
        pdok.parse_pdok_free({"response": {"docs": [{"type": "adres", "centroide_ll": "52.1, 5.1"}]}})


def test_vlaanderen_house_number_result_and_street_only_result():
    point = vlaanderen.parse_geolocation(_body("vlaanderen_location.json"))
    assert (point.latitude, point.longitude, point.label) == (51.0536, 3.7219, "Veldstraat 1, 9000 Gent")
    # A street (no house number) is not an address: left to the postcode table.
    assert vlaanderen.parse_geolocation(_body("vlaanderen_street_only.json")) is None
    with pytest.raises(ValueError):
        vlaanderen.parse_geolocation({"results": []})


@pytest.mark.parametrize(
    ("country", "typed", "key"),
    [("NL", "3511 aw", "3511"), ("NL", "3511AW", "3511"), ("NL", " 1011 ", "1011"), ("BE", "9000", "9000")],
)
def test_postcode_normalising(country, typed, key):
    assert postcodes.normalise(country, typed) == key


@pytest.mark.parametrize(
    ("country", "typed"), [("NL", "0123"), ("NL", "3511 A"), ("BE", "9000 AB"), ("NL", "")]
)
def test_malformed_postcodes(country, typed):
    assert postcodes.normalise(country, typed) is None and postcodes.lookup(country, typed) is None


def test_table_holds_every_geonames_postcode():
    # SOURCES.md: 4,086 distinct NL and 1,146 distinct BE postcodes in the GeoNames exports.
    table = postcodes._table()
    assert sum(1 for c, _ in table if c == "NL") == 4086
    assert sum(1 for c, _ in table if c == "BE") == 1146


@pytest.fixture
def online(settings):
    settings.GEOCODER = "online"
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_online_nl_uses_the_pdok_address(online, monkeypatch):
    calls = []

    def fake_fetch(**kwargs):
        calls.append(kwargs)
        return _body("pdok_free_adres.json")

    monkeypatch.setattr(pdok, "fetch_pdok_json", fake_fetch)
    located = service.locate(country="NL", postcode="3511 AW", house_number="112")
    assert (located.latitude, located.longitude, located.accuracy) == (52.09022, 5.12034, "address")
    service.locate(country="NL", postcode="3511 AW", house_number="112")
    assert len(calls) == 1  # the second lookup came from the cache


def test_online_service_down_falls_back_to_the_postcode_area(online, monkeypatch):
    def down(**kwargs):
        raise httpx.ConnectError("no route to host")

    monkeypatch.setattr(vlaanderen, "fetch_geolocation_json", down)
    located = service.locate(country="BE", postcode="9000", address="Veldstraat 1")
    # GeoNames 9000 Gent: 51.05, 3.7167
    assert (located.latitude, located.longitude, located.accuracy) == (51.05, 3.7167, "postcode")


def test_offline_never_calls_a_service(settings, monkeypatch):
    settings.GEOCODER = "offline"
    monkeypatch.setattr(pdok, "fetch_pdok_json", lambda **kw: pytest.fail("network call offline"))
    assert service.locate(country="NL", postcode="3511 AW", house_number="112").accuracy == "postcode"
    with pytest.raises(service.UnknownPostcode):
        service.locate(country="NL", postcode="1009")
