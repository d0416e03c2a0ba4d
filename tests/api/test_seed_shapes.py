"""Real responses against the seed documents' examples, key by key (tests/api/seed_examples/*.json are the
examples of seeds/scans-api.txt and seeds/studio-profiles-api.txt, copied verbatim)."""

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from apps.scans.breakdown import breakdown
from apps.scans.models import Scan
from apps.scans.series import HOURLY_SERIES
from apps.scans.services import scan_complete
from tests.scans.conftest import MINIMAL_BODY, SEED_BODY, complete_scan, make_scan, resolved_inputs

EXAMPLES = Path(__file__).parent / "seed_examples"
SEED_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")  # 2026-02-10T12:00:00.000Z


# The seed body at prices where what it buys pays back within its 25 years (10 new panels at EUR 400/kWp,
# the battery at EUR 250/kWh): at the seed's own prices, with the fixed installation costs, the battery's
# standby draw and the feed-in cost, neither the whole design nor the battery pays back, so the payback
# fields and the break-even year would all be null and their shapes untested.
PAYING_BODY = {
    **SEED_BODY,
    "newPv": [{**SEED_BODY["newPv"][0], "costPerKwp": 400}],
    "electricBattery": {**SEED_BODY["electricBattery"], "costPerKwh": 250},
}


@pytest.fixture(scope="module")
def paying_result():
    from apps.engine.api import run_scan
    from apps.scans.engine_inputs import build_engine_inputs

    return run_scan(build_engine_inputs(resolved_inputs(PAYING_BODY)))


@pytest.fixture
def completed(owner, paying_result) -> Scan:
    """A completed scan that buys panels and a battery which both pay back (every figure present)."""
    assert paying_result.finance.payback_years is not None
    assert paying_result.battery is not None and paying_result.battery.return_period_years is not None
    return complete_scan(owner.organization, paying_result, data=PAYING_BODY)


def example(name: str):
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def assert_seed_shape(seed, real, path="$", nullable=frozenset()):
    """Every key of the seed's example is in the real body, with a value of the same JSON type (null only
    where the schema declares it nullable: `nullable` holds those paths, list indices as [0])."""
    if real is None:
        assert path in nullable, f"{path} is null"
        return
    if isinstance(seed, dict):
        assert isinstance(real, dict), f"{path}: expected an object, got {real!r}"
        missing = sorted(set(seed) - set(real))
        assert not missing, f"{path}: missing {missing}"
        for key, value in seed.items():
            assert_seed_shape(value, real[key], f"{path}.{key}", nullable)
    elif isinstance(seed, list):
        assert isinstance(real, list), f"{path}: expected an array"
        if seed and real:
            assert_seed_shape(seed[0], real[0], f"{path}[0]", nullable)
    elif isinstance(seed, bool):
        assert isinstance(real, bool), f"{path}: expected a boolean, got {real!r}"
    elif isinstance(seed, int | float):
        assert isinstance(real, int | float) and not isinstance(real, bool), f"{path}: expected a number"
    else:
        assert isinstance(real, str), f"{path}: expected a string, got {real!r}"


def test_full_report_matches_the_seed_example(owner, completed):
    report = owner.key_client().get(f"/v1/scans/{completed.id}").json()
    # shareToken is null until shared
    assert_seed_shape(example("full_report"), report, nullable={"$.shareToken"})
    assert SEED_TIMESTAMP.match(report["createdAt"])
    assert report["battery"]["wasRequested"] is True and report["battery"]["specs"]["capacityKwh"] > 0


def test_list_status_share_and_breakdown_match_the_seed(owner, completed):
    client = owner.key_client()
    page = client.get("/v1/scans").json()
    assert_seed_shape(example("scan_list"), page, nullable={"$.items[0].errorMessage"})
    assert all(SEED_TIMESTAMP.match(item["createdAt"]) for item in page["items"])
    status = client.get(f"/v1/scans/{completed.id}/status").json()
    assert_seed_shape(example("scan_status"), status, nullable={"$.errorMessage"})
    assert SEED_TIMESTAMP.match(status["createdAt"])
    assert_seed_shape(example("share"), client.post(f"/v1/scans/{completed.id}/share").json())
    unshared = client.delete(f"/v1/scans/{completed.id}/share")
    assert unshared.status_code == 200
    assert_seed_shape(example("unshare"), unshared.json(), nullable={"$.shareToken"})
    chart = client.get(
        f"/v1/scans/{completed.id}/breakdown", {"startDate": "2026-01-15T00:00:00.000Z"}
    ).json()
    assert_seed_shape(example("breakdown"), chart)
    # the seed's 2026 date is mapped onto the simulated year, and the response says which
    assert chart["simulatedYear"] == 2027 and chart["labels"][0] == "00:00"
    assert SEED_TIMESTAMP.match(chart["startDate"]) and chart["startDate"].startswith("2027-01-14T23:00")


def test_created_scan_and_adjustments_match_the_seed(owner, completed, stub_broker):
    client = owner.key_client()
    created = client.post("/v1/scans", {"copiedFromId": completed.id}, format="json")
    assert created.status_code == 201, created.content
    assert_seed_shape(example("scan_status_created"), created.json(), nullable={"$.errorMessage"})
    assert SEED_TIMESTAMP.match(created.json()["createdAt"])
    adjustments = client.get(f"/v1/scans/{completed.id}/adjustments").json()
    assert len(adjustments) == 1
    # a processing adjustment has no figures yet
    pending = {"$[0].errorMessage", "$[0].selfSufficiency", "$[0].returnPeriod", "$[0].co2SavedKg"}
    assert_seed_shape(example("adjustments"), adjustments, nullable=pending)


def test_shared_scan_matches_the_seed(owner, completed, anon):
    token = owner.key_client().post(f"/v1/scans/{completed.id}/share").json()["shareToken"]
    shared = anon.get(f"/v1/scans/shared/{token}").json()
    seed = example("shared_scan")
    seed["report"] = example("full_report")  # the shared example's arrays hold "..." placeholders
    assert_seed_shape(seed, shared, nullable={"$.brandingLogo"})


def test_battery_is_always_an_object_with_was_requested(owner, seed_result):
    client = owner.key_client()
    no_battery = make_scan(owner.organization, status=Scan.Status.RUNNING, data=MINIMAL_BODY)
    result = replace(seed_result, battery=None, battery_requested=False)
    assert scan_complete(scan_id=no_battery.id, inputs=no_battery.inputs, result=result) == "completed"
    battery = client.get(f"/v1/scans/{no_battery.id}").json()["battery"]
    assert battery == {
        "specs": None,
        "performance": None,
        "costs": None,
        "isFeasible": False,
        "wasRequested": False,
    }
    not_chosen = complete_scan(owner.organization, replace(seed_result, battery=None, battery_requested=True))
    battery = client.get(f"/v1/scans/{not_chosen.id}").json()["battery"]
    assert_seed_shape(
        example("full_report")["battery"],
        battery,
        "$.battery",
        nullable={"$.battery.performance.stateOfHealth", "$.battery.costs.systemReturnPeriod"},
    )
    requested = SEED_BODY["electricBattery"]
    assert battery["specs"]["capacityKwh"] == 0 and battery["specs"]["brandName"] == requested["brandName"]
    assert battery["costs"]["purchaseCost"] == 0 and battery["isFeasible"] is False


def test_has_seen_report_turns_true_once_the_report_is_read(owner, completed):
    client = owner.key_client()
    assert client.get("/v1/scans").json()["items"][0]["hasSeenReport"] is False
    client.get(f"/v1/scans/{completed.id}/status")  # polling is not reading the report
    assert client.get("/v1/scans").json()["items"][0]["hasSeenReport"] is False
    client.get(f"/v1/scans/{completed.id}")
    assert client.get("/v1/scans").json()["items"][0]["hasSeenReport"] is True


def test_battery_level_is_percent_state_of_charge():
    hourly = {name: np.zeros(8760) for name in HOURLY_SERIES}
    hourly["battery_level"] = np.full(8760, 2.5)  # 2.5 kWh stored every hour
    day = breakdown(hourly=hourly, charts={}, year=2027, interval="day", battery_capacity_kwh=10.0)
    # hand calculation: 2.5 kWh of 10 kWh = 25 % SOC
    assert day["battery_level"][0] == 25.0 and day["battery_level_kwh"][0] == 2.5
    assert day["battery_level_stats"][0] == {"min": 25.0, "max": 25.0, "average": 25.0}
    none = breakdown(hourly=hourly, charts={}, year=2027, interval="day", battery_capacity_kwh=0.0)
    assert none["battery_level"][0] == 0.0  # no battery: 0 %, never a division by zero


def _profile_with_base(client) -> str:
    body = {"name": "Profiel 1", "year": 2026, "lat": 52.09, "lon": 5.12}
    created = client.post("/v1/studio-profiles", body, format="json")
    # a new profile has no base yet (its base fields are null) and an API key has no user
    empty = {"$.userId", "$.baseProfileType", "$.baseProfileName"}
    assert_seed_shape(example("studio_profile"), created.json(), nullable=empty)
    assert SEED_TIMESTAMP.match(created.json()["createdAt"])
    pid = created.json()["id"]
    based = client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "stel"}, format="json")
    assert based.status_code == 201
    assert_seed_shape(example("studio_profile"), based.json(), nullable={"$.userId"})
    return pid


def test_seed_layer_bodies_are_accepted(owner):
    client = owner.key_client()
    pid = _profile_with_base(client)
    # the seed's EV example also carries an all-zero solarConfig: it is ignored, not refused
    added = client.post(f"/v1/studio-profiles/{pid}/layers", example("layer_add_request"), format="json")
    assert added.status_code == 201, added.content
    assert_seed_shape(example("studio_profile"), added.json(), nullable={"$.userId"})
    layer = client.get(f"/v1/studio-profiles/{pid}").json()["layers"][0]
    assert layer["type"] == "ev_charger" and layer["evConfig"]["batteryKwh"] == 60
    patched = client.patch(
        f"/v1/studio-profiles/{pid}/layers/{layer['id']}", example("layer_patch_request"), format="json"
    )
    assert patched.status_code == 200, patched.content
    removed = client.delete(f"/v1/studio-profiles/{pid}/layers/{layer['id']}")
    assert removed.status_code == 200 and removed.json()["layerCount"] == 0
    listed = client.get("/v1/studio-profiles").json()
    assert_seed_shape(example("studio_profile_list"), listed)


def test_seed_save_body_gets_an_error_saying_what_to_send(owner):
    client = owner.key_client()
    pid = _profile_with_base(client)
    response = client.put(f"/v1/studio-profiles/{pid}", example("save_state_request"), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    # 1-value arrays are ambiguous for measured data; the recomputed outputs (result…) are not refused
    assert set(errors) == {
        "studioState.baseProfile.data",
        "studioState.baseProfile.exportData",
        "studioState.baseProfile.originalData",
        "studioState.layers.0.data",
    }
    assert "known templateId" in errors["studioState.baseProfile.data"][0]
    assert "simulated from its config" in errors["studioState.layers.0.data"][0]
    state = example("save_state_request")
    state["studioState"]["baseProfile"] = {"type": "template", "templateId": "stel", "annualKwh": 2500}
    state["studioState"]["layers"][0].pop("data")
    saved = client.put(f"/v1/studio-profiles/{pid}", state, format="json")
    assert saved.status_code == 200, saved.content
