"""Strict input types and percent fields: what the schema declares is what the API accepts."""

import pytest

from tests.scans.conftest import body


def _battery(**changes) -> dict:
    return {**body()["electricBattery"], **changes}


def _new_pv(**changes) -> list[dict]:
    return [{**body()["newPv"][0], **changes}]


@pytest.mark.parametrize(
    "data, field, fragment",
    [
        (body(yearlyKwh=True), "yearlyKwh", "not a boolean"),
        (body(yearlyKwh="3500"), "yearlyKwh", "not a string"),
        (body(analysisYears="25"), "analysisYears", "Must be an integer"),
        (body(includePvMaintenanceCosts="true"), "includePvMaintenanceCosts", "true or false"),
        (body(includePvMaintenanceCosts=1), "includePvMaintenanceCosts", "true or false"),
        (body(goal=1), "goal", "Must be a string"),
        (body(location={"lat": "52.1", "lon": 5.1}), "location.lat", "not a string"),
        (body(newPv=_new_pv(maxPanelCount=False)), "newPv.0.maxPanelCount", "not a boolean"),
        (body(electricBattery=_battery(capacityKwh="10")), "electricBattery.capacityKwh", "not a string"),
    ],
)
def test_wrong_json_types_are_400_naming_the_dotted_field(owner, data, field, fragment):
    response = owner.key_client().post("/v1/scans", data, format="json")
    assert response.status_code == 400, response.content
    problem = response.json()
    assert problem["type"].endswith("/invalid-request") and problem["title"] == "Invalid request"
    assert fragment in " ".join(problem["errors"][field])


@pytest.mark.parametrize(
    "data, field",
    [
        (body(electricBattery=_battery(roundtripEfficiency=0.92)), "electricBattery.roundtripEfficiency"),
        (body(electricBattery=_battery(minimumChargeLevel=0.2)), "electricBattery.minimumChargeLevel"),
        (body(newPv=_new_pv(systemLosses=0.14)), "newPv.0.systemLosses"),
    ],
)
def test_fraction_for_a_percent_is_400_saying_percent(owner, data, field):
    response = owner.key_client().post("/v1/scans", data, format="json")
    assert response.status_code == 400, response.content
    (message,) = response.json()["errors"][field]
    assert message.startswith("percent, 0–100:") and "looks like a fraction" in message


@pytest.mark.parametrize(
    "data, field",
    [
        # the engine takes system losses 0 ≤ x < 100 % (apps.engine.pv.PvArray); 100 failed in the engine
        (body(newPv=_new_pv(systemLosses=100)), "newPv.0.systemLosses"),
        (body(electricBattery=_battery(roundtripEfficiency=101)), "electricBattery.roundtripEfficiency"),
        (body(electricBattery=_battery(roundtripEfficiency=0)), "electricBattery.roundtripEfficiency"),
        (body(electricBattery=_battery(minimumChargeLevel=100)), "electricBattery.minimumChargeLevel"),
    ],
)
def test_percent_outside_the_engine_range_is_400(owner, data, field):
    response = owner.key_client().post("/v1/scans", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_percent_bounds_themselves_are_accepted(owner, stub_broker):
    data = body(
        newPv=_new_pv(systemLosses=0),
        electricBattery=_battery(roundtripEfficiency=100, minimumChargeLevel=0),
    )
    assert owner.key_client().post("/v1/scans", data, format="json").status_code == 201


def test_studio_bodies_are_strict_too(owner):
    client = owner.key_client()
    pid = client.post("/v1/studio-profiles", {"year": "2026"}, format="json")
    assert pid.status_code == 400 and "year" in pid.json()["errors"]
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "stel"}, format="json")
    hourly = [0] * 23 + ["1"]
    response = client.post(
        f"/v1/studio-profiles/{pid}/layers", {"presetId": "custom", "hourlyKw": hourly}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["hourlyKw.23"]


def test_portal_form_text_is_still_coerced(owner, stub_broker):
    """The portal posts form text through the same submission; strictness is the JSON API's."""
    from djangorestframework_camel_case.util import underscoreize

    from apps.scans.submission import scan_submit

    data = underscoreize(body(yearlyKwh="3500"))
    assert scan_submit(organization=owner.organization, data=data).scan.inputs["yearly_kwh"] == 3500.0
