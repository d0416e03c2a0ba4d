"""inputMethod "studio": the scan's load is the studio profile's hourly result (seed: customProfileId flow)."""

import pytest

from apps.scans.jobs import run_scan
from apps.scans.models import Scan
from apps.studio.services import base_set_template, profile_create

STUDIO_BODY = {
    "location": {"lat": 52.09, "lon": 5.12},
    "inputMethod": "studio",
    "newPv": [{"maxPanelCount": 12, "panelPowerWatts": 430, "tiltAngle": 30, "orientationAngle": 180}],
}


@pytest.fixture
def profile(owner):
    profile = profile_create(organization=owner.organization, name="Fam. Jansen")
    return base_set_template(profile=profile, template_id="stel", annual_kwh=2800)


def test_studio_scan_runs_on_the_profile(owner, profile, stub_broker):
    response = owner.key_client().post(
        "/v1/scans", {**STUDIO_BODY, "customProfileId": profile.id}, format="json"
    )
    assert response.status_code == 201, response.content
    scan = Scan.objects.get(pk=response.json()["id"])
    assert scan.inputs["custom_profile_id"] == profile.id and scan.inputs["yearly_kwh"] is None
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "completed", scan.error_message
    assert scan.report["overview"]["kpi"]["yearly_usage_kwh"] == pytest.approx(profile.total_kwh, rel=1e-3)
    assert scan.report["accuracy"]["factors"][0]["level"] == "measured"


def test_empty_studio_profile_is_rejected(owner):
    empty = profile_create(organization=owner.organization, name="Leeg")
    response = owner.key_client().post(
        "/v1/scans", {**STUDIO_BODY, "customProfileId": empty.id}, format="json"
    )
    assert response.status_code == 400 and "customProfileId" in response.json()["errors"]
    assert Scan.objects.count() == 0
