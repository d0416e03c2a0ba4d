"""Full flow over real HTTP against the fakes: link → sync → studio profile from the measurements → scan."""

import numpy as np
import pytest

from apps.devices import services
from apps.devices.models import DeviceLink
from apps.scans.jobs import run_scan
from apps.scans.models import Scan
from apps.studio.layers.common import unpack
from apps.studio.models import StudioProfile
from tests.devices import support
from tests.devices.support import link_enode

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures


def test_link_sync_studio_profile_scan(owner, dossier, vendor_fakes, settings):
    import dramatiq

    settings.DEVICES_HISTORY_DAYS = 10
    client = owner.key_client()
    link_id = link_enode(client, dossier)
    assert services.link_sync(link_id=link_id).status == "ok"
    link = DeviceLink.objects.get(pk=link_id)
    measured_import = link.measured_grid_import_kwh
    assert measured_import > 0

    built = client.post(f"/v1/device-links/{link_id}/studio-profile", {}, format="json")
    assert built.status_code == 200, built.content
    profile = StudioProfile.objects.get(pk=built.json()["profileId"])
    assert profile.organization == owner.organization and profile.base_profile_type == "upload"
    base = unpack(profile.base_data)
    assert base.shape == (8760,) and np.isfinite(base).all() and base.min() >= 0
    assert (
        profile.total_kwh == pytest.approx(built.json()["totalKwh"]) and profile.total_kwh > measured_import
    )
    assert DeviceLink.objects.get(pk=link_id).studio_profile_id == profile.pk

    # a later sync keeps the profile's base in step (the same measurements give the same base)
    assert services.link_sync(link_id=link_id).status == "ok"
    profile.refresh_from_db()
    assert unpack(profile.base_data).sum() == pytest.approx(base.sum(), rel=0.02)

    # the profile feeds a scan (inputMethod "studio")
    broker = dramatiq.get_broker()
    broker.flush_all()
    scan = client.post(
        "/v1/scans",
        {
            "location": {"lat": 52.09, "lon": 5.12},
            "inputMethod": "studio",
            "customProfileId": profile.pk,
            "newPv": [
                {"maxPanelCount": 10, "panelPowerWatts": 430, "tiltAngle": 30, "orientationAngle": 180}
            ],
        },
        format="json",
    )
    broker.flush_all()
    assert scan.status_code == 201, scan.content
    run_scan.fn(scan.json()["id"])
    done = Scan.objects.get(pk=scan.json()["id"])
    assert done.status == "completed", done.error_message
    assert done.report["overview"]["kpi"]["yearly_usage_kwh"] == pytest.approx(profile.total_kwh, rel=1e-3)


def test_other_organizations_profile_cannot_be_targeted(owner, outsider, dossier, vendor_fakes):
    from apps.studio.services import profile_create

    link_id = link_enode(owner.key_client(), dossier)
    foreign = profile_create(organization=outsider.organization, name="Niet van jou")
    response = owner.key_client().post(
        f"/v1/device-links/{link_id}/studio-profile", {"profileId": foreign.pk}, format="json"
    )
    assert response.status_code == 404
    assert not StudioProfile.objects.get(pk=foreign.pk).has_base


def test_studio_profile_needs_measurements(owner, dossier, vendor_fakes):
    from tests.devices.support import create_link

    body = create_link(owner.key_client(), dossier, "enode")
    response = owner.key_client().post(f"/v1/device-links/{body['id']}/studio-profile", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "no_measured_consumption"


def test_enphase_production_and_consumption_become_net_import_and_export(
    owner, dossier, vendor_fakes, settings
):
    from tests.devices.support import link_enphase

    settings.DEVICES_HISTORY_DAYS = 8
    link_id = link_enphase(owner.key_client(), dossier)
    assert services.link_sync(link_id=link_id).status == "ok"
    link = DeviceLink.objects.get(pk=link_id)
    grid_import, grid_export = services.link_measured_flows(link)
    consumption = link.readings.filter(kind="consumption")
    production = {r.hour: r.kwh for r in link.readings.filter(kind="production")}
    for reading in consumption[:48]:
        net = reading.kwh - production.get(reading.hour, 0.0)
        assert grid_import[reading.hour] == pytest.approx(max(net, 0.0))
        assert grid_export[reading.hour] == pytest.approx(max(-net, 0.0))
    profile = services.studio_profile_from_link(link=link)
    assert profile.total_kwh > 0 and profile.base_export is not None


def test_pod_consumption_builds_a_base_without_export(owner, dossier, vendor_fakes):
    from devkit.vendors import pod as fake_pod
    from tests.devices.support import create_link

    body = create_link(
        owner.key_client(),
        dossier,
        "pod",
        pod=fake_pod.DEMO_POD,
        accountNumber=fake_pod.DEMO_ACCOUNT,
        companyCode="ACME",
    )
    services.link_sync(link_id=body["id"])
    profile = services.studio_profile_from_link(link=DeviceLink.objects.get(pk=body["id"]))
    assert profile.total_kwh > 0 and profile.base_export is None and profile.total_export_kwh == 0


def test_too_little_history_for_a_studio_profile_says_so(owner, dossier, vendor_fakes):
    link_id = link_enode(owner.key_client(), dossier)
    services.link_sync(link_id=link_id)  # 3 days of history in these tests
    response = owner.key_client().post(f"/v1/device-links/{link_id}/studio-profile", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_enough_measured_data"
    assert "day(s) of measurements" in response.json()["detail"]
