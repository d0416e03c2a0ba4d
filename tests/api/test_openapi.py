"""The OpenAPI document states what the API does (schemathesis checks the behaviour against it)."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _json_schema(operation, status="200"):
    return operation["responses"][status]["content"]["application/json"]["schema"]


def test_list_is_the_paginated_envelope(schema):
    ref = _json_schema(schema["paths"]["/v1/scans"]["get"])["$ref"].split("/")[-1]
    envelope = schema["components"]["schemas"][ref]
    assert set(envelope["properties"]) == {"items", "total", "page", "limit", "totalPages"}
    page = next(p for p in schema["paths"]["/v1/scans"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1 and page["schema"]["maximum"] == 1_000_000


def test_deletes_that_answer_a_body_are_declared_200(schema):
    unshare = schema["paths"]["/v1/scans/{id}/share"]["delete"]["responses"]
    layer = schema["paths"]["/v1/studio-profiles/{id}/layers/{layerId}"]["delete"]["responses"]
    assert "204" not in unshare and _json_schema({"responses": unshare})["$ref"].endswith("/Share")
    assert "204" not in layer and _json_schema({"responses": layer})["$ref"].endswith("/StudioProfile")
    assert "204" in schema["paths"]["/v1/scans/{id}"]["delete"]["responses"]  # the seed shows no body


def test_read_shapes_have_schemas(schema):
    paths = schema["paths"]
    detail = _json_schema(paths["/v1/scans/{id}"]["get"])
    assert detail == {
        "oneOf": [{"$ref": "#/components/schemas/ScanStatus"}, {"$ref": "#/components/schemas/FullReportDto"}]
    }
    assert _json_schema(paths["/v1/scans/{id}/breakdown"]["get"])["$ref"].endswith("/Breakdown")
    assert _json_schema(paths["/v1/scans/{id}/branding"]["get"])["$ref"].endswith("/Branding")
    assert _json_schema(paths["/v1/scans/shared/{token}"]["get"])["$ref"].endswith("/SharedScan")
    report = schema["components"]["schemas"]["FullReportDto"]
    assert {"overview", "solar", "battery", "financial", "sustainability"} <= set(report["required"])


def test_every_operation_documents_its_problems(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "429"} <= set(responses), (method, path)
            problem = responses["400"]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/Problem"}
            if "requestBody" in operation:
                assert {"413", "415"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
    assert {"401", "403"} <= set(schema["paths"]["/v1/scans"]["post"]["responses"])
    assert "402" in schema["paths"]["/v1/scans/{id}/share"]["post"]["responses"]


def test_bounds_and_enums_as_validated(schema):
    components = schema["components"]["schemas"]
    new_pv = components["NewPv"]["properties"]
    assert new_pv["maxPanelCount"]["maximum"] == 60 and new_pv["systemLosses"]["maximum"] == 99
    assert components["ScanCreate"]["properties"]["newPv"]["maxItems"] == 6
    battery = components["Battery"]["properties"]
    assert battery["roundtripEfficiency"]["minimum"] == 1 and battery["roundtripEfficiency"]["maximum"] == 100


def test_extensions_to_the_seed_are_marked(schema):
    assert schema["paths"]["/v1/dossiers"]["get"]["x-extension"] is True
    assert "x-extension" not in schema["paths"]["/v1/scans"]["get"]
    create = schema["components"]["schemas"]["ScanCreate"]["properties"]
    assert create["dossierId"]["x-extension"] is True and "x-extension" not in create["yearlyKwh"]
    assert schema["components"]["schemas"]["Breakdown"]["properties"]["batteryLevelKwh"]["x-extension"]


def test_the_capacity_peak_factor_is_documented_with_its_bounds(schema):
    # 1: an hour's mean is the mean of its quarters, never above the highest; 4: the hour's energy in one quarter.
    tariff = next(
        s
        for name, s in schema["components"]["schemas"].items()
        if "capacityPeakFactor" in s.get("properties", {})
    )
    field = tariff["properties"]["capacityPeakFactor"]
    assert field["minimum"] == 1 and field["maximum"] == 4 and field["x-extension"] is True
    assert "capacityTariff" in field["description"] and "capacityPeakFactor" not in tariff.get("required", [])
