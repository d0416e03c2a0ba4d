"""/v1/device-links against the fake vendors over real HTTP: create, link, list, get, sync now, delete."""

import json

import pytest

from apps.devices import checks, crypto, jobs
from apps.devices.models import Asset, DeviceLink, Reading, VendorCredential
from tests.devices import support
from tests.devices.support import create_link, link_enode, link_enphase

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures


def test_enode_link_url_then_household_finishes_linking(owner, dossier, vendor_fakes):
    client = owner.key_client()
    body = create_link(client, dossier, "enode")
    assert body["status"] == "pending" and body["linkUrl"].startswith(vendor_fakes["enode"].base_url)
    assert body["dossierId"] == dossier.id and len(body["id"]) == 25
    link_id = link_enode(client, dossier)
    detail = client.get(f"/v1/device-links/{link_id}").json()
    assert detail["status"] == "linked"
    kinds = {asset["kind"] for asset in detail["assets"]}
    assert {"inverter", "meter", "battery", "vehicle", "hem-system"} <= kinds
    battery = next(a for a in detail["assets"] if a["kind"] == "battery")
    vehicle = next(a for a in detail["assets"] if a["kind"] == "vehicle")
    assert battery["capacityKwh"] == 5.0 and vehicle["capacityKwh"] == 58.0


def test_enphase_authorize_url_carries_a_state(owner, dossier, vendor_fakes):
    body = create_link(owner.jwt_client(), dossier, "enphase")
    assert "state=" + body["id"] in body["linkUrl"].replace("%2E", ".")
    assert "/oauth/authorize" in body["linkUrl"] and body["status"] == "pending"


def test_pod_link_is_linked_at_once_and_syncs(owner, dossier, vendor_fakes):
    from apps.devices.services import link_sync
    from devkit.vendors import pod as fake_pod

    body = create_link(
        owner.key_client(),
        dossier,
        "pod",
        pod=fake_pod.DEMO_POD,
        accountNumber=fake_pod.DEMO_ACCOUNT,
        companyCode="ACME",
    )
    assert body["status"] == "linked" and body["linkUrl"] is None
    assert link_sync(link_id=body["id"]).status == "ok"
    assert Reading.objects.filter(link_id=body["id"], kind="consumption").count() > 24


def test_bad_pod_is_a_field_error(owner, dossier, vendor_fakes):
    response = owner.key_client().post(
        "/v1/device-links",
        {"dossierId": dossier.id, "provider": "pod", "pod": "nope", "accountNumber": "1", "companyCode": "X"},
        format="json",
    )
    assert response.status_code == 400 and "pod" in response.json()["errors"]
    assert not DeviceLink.objects.exists()


def test_list_is_paginated_and_filtered(owner, dossier, vendor_fakes):
    client = owner.key_client()
    for _ in range(3):
        create_link(client, dossier, "enphase")
    create_link(client, dossier, "enode")
    page = client.get("/v1/device-links", {"page": 2, "limit": 2}).json()
    assert set(page) == {"items", "total", "page", "limit", "totalPages"}
    assert (page["total"], page["page"], page["limit"], page["totalPages"], len(page["items"])) == (
        4,
        2,
        2,
        2,
        2,
    )
    only = client.get("/v1/device-links", {"provider": "enode", "dossierId": dossier.id}).json()
    assert only["total"] == 1 and only["items"][0]["provider"] == "enode"


def test_other_organization_gets_404_everywhere(owner, outsider, dossier, vendor_fakes):
    link_id = link_enode(owner.key_client(), dossier)
    for client in (outsider.key_client(), outsider.jwt_client()):
        assert client.get(f"/v1/device-links/{link_id}").status_code == 404
        assert client.post(f"/v1/device-links/{link_id}/sync").status_code == 404
        assert client.post(f"/v1/device-links/{link_id}/studio-profile", {}, format="json").status_code == 404
        assert client.delete(f"/v1/device-links/{link_id}").status_code == 404
        assert client.get("/v1/device-links").json()["total"] == 0
        created = client.post(
            "/v1/device-links", {"dossierId": dossier.id, "provider": "enode"}, format="json"
        )
        assert created.status_code == 404
    assert DeviceLink.objects.get(pk=link_id).status == "linked"
    assert DeviceLink.objects.count() == 1


def test_member_sees_the_organization_links(owner, member, dossier, vendor_fakes):
    link_id = link_enode(owner.key_client(), dossier)
    assert member.jwt_client().get(f"/v1/device-links/{link_id}").status_code == 200


def test_sync_now_queues_the_job(
    owner, dossier, vendor_fakes, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(jobs.sync_link, "send", lambda *args: sent.append(args))  # any broker (stub, Redis)
    link_id = link_enode(owner.key_client(), dossier)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.key_client().post(f"/v1/device-links/{link_id}/sync")
    assert response.status_code == 202 and response.json()["syncStatus"] == "queued"
    assert sent == [(link_id,)]  # only the id travels
    jobs.sync_link.fn(link_id)  # what the worker runs
    link = DeviceLink.objects.get(pk=link_id)
    assert link.sync_status == "ok" and link.last_sync_at is not None
    assert link.readings.filter(kind="production").exists()


def test_sync_job_asks_for_a_retry_when_the_vendor_is_down(owner, dossier, vendor_fakes):
    link_id = link_enode(owner.key_client(), dossier)
    vendor_fakes["enode"].app.fail_next(503, 100)
    with pytest.raises(jobs.TransientSyncError):
        jobs.sync_link.fn(link_id)
    assert DeviceLink.objects.get(pk=link_id).error_code == "vendor_unavailable"


def test_tokens_are_encrypted_and_never_returned(owner, dossier, vendor_fakes):
    client = owner.key_client()
    link_id = link_enphase(client, dossier)
    link = DeviceLink.objects.get(pk=link_id)
    token = crypto.decrypt_json(link.token_encrypted)
    assert token["access_token"] and token["refresh_token"]
    row = json.dumps(list(DeviceLink.objects.filter(pk=link_id).values())[0], default=str)
    assert token["access_token"] not in row and token["refresh_token"] not in row
    enode_link = link_enode(client, dossier)
    app_token = VendorCredential.objects.get(provider="enode").token_encrypted
    assert crypto.decrypt_json(app_token)["access_token"] not in app_token
    for path in (f"/v1/device-links/{link_id}", "/v1/device-links", f"/v1/device-links/{enode_link}"):
        text = client.get(path).content.decode()
        assert token["access_token"] not in text and token["refresh_token"] not in text
        assert "token" not in text.lower() and "state" not in text.lower()


def test_delete_unlinks_at_the_vendor_and_locally(owner, dossier, vendor_fakes):
    from apps.devices.services import link_sync

    client = owner.key_client()
    link_id = link_enode(client, dossier)
    link_sync(link_id=link_id)
    fake = vendor_fakes["enode"].app
    assert any(a["userId"] == link_id for a in fake.assets.values())
    assert client.delete(f"/v1/device-links/{link_id}").status_code == 204
    assert not any(a["userId"] == link_id for a in fake.assets.values())
    assert not DeviceLink.objects.filter(pk=link_id).exists()
    assert not Asset.objects.filter(link_id=link_id).exists() and not Reading.objects.exists()
    assert client.get(f"/v1/device-links/{link_id}").status_code == 404


def test_delete_while_vendor_is_down_keeps_the_link(owner, dossier, vendor_fakes):
    client = owner.key_client()
    link_id = link_enode(client, dossier)
    vendor_fakes["enode"].app.fail_next(503, 10)
    response = client.delete(f"/v1/device-links/{link_id}")
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    assert DeviceLink.objects.filter(pk=link_id).exists()


def test_revoke_drops_tokens(owner, dossier, vendor_fakes):
    from apps.devices.services import link_revoke

    link_id = link_enphase(owner.key_client(), dossier)
    link = link_revoke(link=DeviceLink.objects.get(pk=link_id))
    link.refresh_from_db()
    assert link.status == "revoked" and link.token_encrypted == "" and link.oauth_state_encrypted == ""
    response = owner.key_client().post(f"/v1/device-links/{link_id}/sync")
    assert response.status_code == 400 and response.json()["code"] == "link_revoked"


@pytest.mark.parametrize("provider", ["nope", ""])
def test_unknown_provider_is_rejected(owner, dossier, provider):
    response = owner.key_client().post(
        "/v1/device-links", {"dossierId": dossier.id, "provider": provider}, format="json"
    )
    assert response.status_code == 400 and "provider" in response.json()["errors"]


def test_admin_pages_render_without_secrets(admin_client, owner, dossier, vendor_fakes):
    from apps.devices.services import link_sync

    link_id = link_enphase(owner.key_client(), dossier)
    link_sync(link_id=link_id)
    token = crypto.decrypt_json(DeviceLink.objects.get(pk=link_id).token_encrypted)
    for url in (
        "/admin/devices/devicelink/",
        f"/admin/devices/devicelink/{link_id}/change/",
        "/admin/devices/asset/",
        "/admin/devices/reading/",
        "/admin/devices/webhookdelivery/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert token["access_token"] not in page and token["refresh_token"] not in page


def test_relink_gives_a_fresh_url_and_revives_a_revoked_link(owner, dossier, vendor_fakes):
    from rest_framework.test import APIClient

    from apps.devices.services import link_revoke
    from tests.devices.support import follow_vendor_redirect

    client = owner.key_client()
    link_id = link_enphase(client, dossier)
    link_revoke(link=DeviceLink.objects.get(pk=link_id))
    response = client.post(f"/v1/device-links/{link_id}/relink")
    assert response.status_code == 200 and response.json()["status"] == "pending"
    path, query = follow_vendor_redirect(response.json()["linkUrl"])
    assert APIClient().get(path, query).json()["status"] == "linked"
    assert DeviceLink.objects.get(pk=link_id).token_encrypted


def test_fake_mode_starts_the_fakes_on_first_use(settings, monkeypatch):
    from apps.devices import vendors
    from devkit.vendors import embedded

    settings.DEVICES_VENDOR_MODE = "fake"
    monkeypatch.setattr(embedded, "_SERVERS", {})
    try:
        cfg = vendors.vendor_config("enphase")
        assert cfg.api_url.startswith("http://127.0.0.1:") and cfg.api_url.endswith("/api/v4")
        assert vendors.vendor_config("enphase").api_url == cfg.api_url  # started once
    finally:
        for handle in embedded._SERVERS.values():
            handle.stop()


def test_live_mode_requires_configuration(settings, owner, dossier):
    from django.core.exceptions import ImproperlyConfigured

    from apps.devices import vendors

    settings.DEVICES_VENDOR_MODE = "live"
    with pytest.raises(vendors.VendorNotConfigured, match="ENODE_CLIENT_ID"):
        vendors.vendor_config("enode")
    response = owner.key_client().post(
        "/v1/device-links", {"dossierId": dossier.id, "provider": "enphase"}, format="json"
    )
    assert response.status_code == 503 and response.json()["code"] == "vendor_not_configured"
    assert not DeviceLink.objects.exists()
    settings.DEVICES_VENDOR_MODE = "sometimes"
    with pytest.raises(ImproperlyConfigured):
        vendors.vendor_mode()


def test_token_key_rotation(settings):
    settings.DEVICE_TOKEN_KEY = "old-passphrase"
    sealed = crypto.encrypt_json({"access_token": "abc"})
    settings.DEVICE_TOKEN_KEY = "new-passphrase,old-passphrase"
    assert crypto.decrypt_json(sealed) == {"access_token": "abc"}
    settings.DEVICE_TOKEN_KEY = "new-passphrase"
    assert crypto.decrypt_json(sealed) is None  # unreadable: treated as absent, never an error page


def test_readings_per_day_and_hour(owner, outsider, dossier, vendor_fakes):
    from apps.devices.services import link_sync

    client = owner.key_client()
    link_id = link_enode(client, dossier)
    link_sync(link_id=link_id)
    hourly = client.get(f"/v1/device-links/{link_id}/readings", {"kind": "production", "resolution": "hour"})
    assert hourly.status_code == 200, hourly.content
    body = hourly.json()
    inverter_total = sum(
        Reading.objects.filter(link_id=link_id, kind="production", asset__kind="inverter").values_list(
            "kwh", flat=True
        )
    )
    assert body["unit"] == "kWh" and body["totalKwh"] == pytest.approx(inverter_total, abs=1e-2)
    daily = client.get(f"/v1/device-links/{link_id}/readings", {"kind": "production"}).json()
    assert daily["resolution"] == "day" and 3 <= len(daily["items"]) <= 5
    assert daily["totalKwh"] == pytest.approx(body["totalKwh"], abs=1e-2)
    assert client.get(f"/v1/device-links/{link_id}/readings", {"kind": "nope"}).status_code == 400
    assert (
        outsider.key_client().get(f"/v1/device-links/{link_id}/readings", {"kind": "production"}).status_code
        == 404
    )


def test_deploy_check_asks_for_a_token_key(settings, monkeypatch):
    monkeypatch.delenv("DEVICE_TOKEN_KEY", raising=False)
    settings.DEBUG, settings.DEVICE_TOKEN_KEY = False, None
    assert [w.id for w in checks.check_token_key()] == ["devices.W001"]
    settings.DEVICE_TOKEN_KEY = "a-long-passphrase"
    assert checks.check_token_key() == []
