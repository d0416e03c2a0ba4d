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


FRACTION = "percent, 0–100: "


@pytest.mark.parametrize(
    "data, field, fragment",
    [
        (
            body(electricBattery=_battery(roundtripEfficiency=0.92)),
            "electricBattery.roundtripEfficiency",
            FRACTION,
        ),
        (
            body(electricBattery=_battery(minimumChargeLevel=0.2)),
            "electricBattery.minimumChargeLevel",
            FRACTION,
        ),
        (body(newPv=_new_pv(systemLosses=0.14)), "newPv.0.systemLosses", FRACTION),
        # the engine takes system losses 0 ≤ x < 100 % (apps.engine.pv.PvArray); 100 failed in the engine
        (body(newPv=_new_pv(systemLosses=100)), "newPv.0.systemLosses", "less than or equal to 99"),
        (
            body(electricBattery=_battery(roundtripEfficiency=101)),
            "electricBattery.roundtripEfficiency",
            "100",
        ),
        (body(electricBattery=_battery(roundtripEfficiency=0)), "electricBattery.roundtripEfficiency", "1"),
        (body(electricBattery=_battery(minimumChargeLevel=100)), "electricBattery.minimumChargeLevel", "99"),
    ],
)
def test_percent_outside_its_range_or_sent_as_a_fraction_is_400(owner, data, field, fragment):
    response = owner.key_client().post("/v1/scans", data, format="json")
    assert response.status_code == 400, response.content
    (message,) = response.json()["errors"][field]
    assert fragment in message
    if fragment == FRACTION:
        assert message.startswith(FRACTION) and "looks like a fraction" in message


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

    from apps.scans.api.submission import scan_submit

    data = underscoreize(body(yearlyKwh="3500"))
    assert scan_submit(organization=owner.organization, data=data).scan.inputs["yearly_kwh"] == 3500.0


def test_dossier_and_device_link_bodies_are_strict(owner):
    client = owner.key_client()
    dossier = client.post(
        "/v1/dossiers", {"customerName": "Fam. de Vries", "latitude": "52.09"}, format="json"
    )
    assert dossier.status_code == 400 and "latitude" in dossier.json()["errors"]
    link = client.post("/v1/device-links", {"dossierId": 12, "provider": "pod"}, format="json")
    assert link.status_code == 400 and link.json()["errors"]["dossierId"] == [
        "Must be a string, not a number."
    ]


def test_fraction_message_is_dutch_in_the_portal_language():
    from django.utils import translation
    from djangorestframework_camel_case.util import underscoreize

    from apps.scans.api.serializers import ScanCreateSerializer

    data = underscoreize(body(electricBattery=_battery(roundtripEfficiency=0.92)))
    with translation.override("nl"):
        serializer = ScanCreateSerializer(data=data)
        assert not serializer.is_valid()
        (message,) = serializer.errors["electric_battery"]["roundtrip_efficiency"]
    assert str(message) == "procent, 0–100: 0.92 lijkt een fractie; vul 92 in voor 92 %."
