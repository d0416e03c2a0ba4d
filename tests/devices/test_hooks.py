"""/hooks/ (django-ninja): Enode webhooks (signature, dedup) and the Enphase OAuth callback (state)."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from apps.devices import vendors
from apps.devices.models import Asset, DeviceLink, Reading, WebhookDelivery
from tests.devices import support
from tests.devices.support import (
    create_link,
    deliver,
    follow_vendor_redirect,
    link_enode,
    statistics_delivery,
)

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures


@pytest.fixture
def enode_link(owner, dossier, vendor_fakes) -> str:
    return link_enode(owner.key_client(), dossier)


def test_signed_delivery_is_applied_once_and_replays_are_acknowledged(enode_link, vendor_fakes):
    body, headers = statistics_delivery(vendor_fakes, enode_link)
    first = deliver(body, headers)
    assert first.status_code == 200, first.content
    assert first.json() == {"received": 1, "processed": 1, "duplicates": 0}
    readings = list(Reading.objects.filter(link_id=enode_link).values_list("id", "hour", "kwh"))
    assert len(readings) >= 20 and all(r[2] >= 0 for r in readings)

    replay = deliver(body, headers)
    assert replay.status_code == 200 and replay.json() == {"received": 1, "processed": 0, "duplicates": 1}
    assert list(Reading.objects.filter(link_id=enode_link).values_list("id", "hour", "kwh")) == readings
    assert WebhookDelivery.objects.count() == 1


def test_bad_or_missing_signature_is_refused(enode_link, vendor_fakes):
    body, headers = statistics_delivery(vendor_fakes, enode_link, secret="not-our-secret")
    refused = deliver(body, headers)
    assert refused.status_code == 401 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "invalid_signature"
    assert deliver(body, {}).status_code == 401
    good_body, good_headers = statistics_delivery(vendor_fakes, enode_link)
    assert deliver(good_body + b" ", good_headers).status_code == 401  # body changed after signing
    assert not Reading.objects.exists() and not WebhookDelivery.objects.exists()


def test_signed_garbage_is_a_400(db, vendor_fakes):
    from apps.devices.clients.enode import sign_webhook_body

    body = b"not json"
    response = deliver(body, {"X-Enode-Signature": sign_webhook_body(vendors.enode_webhook_secret(), body)})
    assert response.status_code == 400


def test_discovered_asset_event_links_a_pending_link(owner, dossier, vendor_fakes):
    body = create_link(owner.key_client(), dossier, "enode")
    fake = vendor_fakes["enode"].app
    fake.link_user(body["id"])  # the household finished the Link UI; Enode tells us by webhook
    events = [fake.event(body["id"], "user:battery:discovered")]
    payload, headers = fake.webhook_delivery(vendors.enode_webhook_secret(), events)
    assert deliver(payload, headers).status_code == 200
    assert DeviceLink.objects.get(pk=body["id"]).status == "linked"
    assert Asset.objects.get(link_id=body["id"], kind="battery").capacity_kwh == 5.0


def test_events_of_unknown_users_are_acknowledged(db, vendor_fakes):
    body, headers = statistics_delivery(vendor_fakes, "demo-user")
    assert deliver(body, headers).status_code == 200
    assert not Reading.objects.exists()


# --- Enphase OAuth callback -------------------------------------------------------------------------


@pytest.fixture
def enphase_pending(owner, dossier, vendor_fakes):
    body = create_link(owner.key_client(), dossier, "enphase")
    path, query = follow_vendor_redirect(body["linkUrl"])
    assert path == "/hooks/enphase/callback" and query["state"].startswith(body["id"] + ".")
    return body["id"], path, query


def test_callback_with_a_wrong_state_is_refused_and_changes_nothing(enphase_pending):
    link_id, path, query = enphase_pending
    client = APIClient()
    for state in (link_id + ".forged", "", "c" * 25 + ".x", query["state"] + "x"):
        response = client.get(path, {"code": query["code"], "state": state})
        assert response.status_code == 400, state
        assert response.json()["code"] == "invalid_oauth_state"
    link = DeviceLink.objects.get(pk=link_id)
    assert link.status == "pending" and not link.token_encrypted and link.oauth_state_encrypted
    # the genuine callback still works afterwards
    assert client.get(path, query).json()["status"] == "linked"


def test_callback_with_the_right_state_links_and_the_state_is_single_use(enphase_pending):
    link_id, path, query = enphase_pending
    client = APIClient()
    done = client.get(path, query)
    assert done.status_code == 200 and done.json() == {
        "id": link_id,
        "provider": "enphase",
        "status": "linked",
    }
    link = DeviceLink.objects.get(pk=link_id)
    assert link.token_encrypted and not link.oauth_state_encrypted
    assert link.assets.filter(kind="inverter").exists()
    replay = client.get(path, query)
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_oauth_state"


def test_expired_state_is_refused(enphase_pending):
    link_id, path, query = enphase_pending
    DeviceLink.objects.filter(pk=link_id).update(
        oauth_state_expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    response = APIClient().get(path, query)
    assert response.status_code == 400 and response.json()["code"] == "oauth_state_expired"


def test_denied_consent_marks_the_link(enphase_pending):
    link_id, path, query = enphase_pending
    response = APIClient().get(path, {"state": query["state"], "error": "access_denied"})
    assert response.status_code == 400
    assert DeviceLink.objects.get(pk=link_id).status == "error"


def test_enode_return_for_an_unknown_link_is_404(db, vendor_fakes):
    response = APIClient().get("/hooks/enode/return", {"link": "c" * 25})
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    # the one problem shape of /v1 (apps.common.api.errors.problem: type and title per HTTP status)
    assert response.json() == {
        "type": "https://solarscan.app/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "Unknown device link.",
        "code": "not_found",
    }


def test_webhook_needs_no_csrf_token(enode_link, vendor_fakes):
    from django.test import Client

    body, headers = statistics_delivery(vendor_fakes, enode_link)
    response = Client(enforce_csrf_checks=True).post(
        "/hooks/enode",
        body,
        content_type="application/json",
        HTTP_X_ENODE_SIGNATURE=headers["X-Enode-Signature"],
    )
    assert response.status_code == 200


def test_browsers_get_a_page_not_json(enphase_pending):
    link_id, path, query = enphase_pending
    page = APIClient().get(path, query, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Gekoppeld" in page.content.decode() and query["code"] not in page.content.decode()
    again = APIClient().get(path, query, HTTP_ACCEPT="text/html")
    assert again.status_code == 400 and again["Content-Type"].startswith("text/html")


def test_callback_code_is_masked_in_request_logs(enphase_pending):
    import logging

    link_id, path, query = enphase_pending
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        "",
        0,
        '"%s" %s %s',
        (f"GET {path}?code={query['code']}&state=x HTTP/1.1", 200, 10),
        None,
    )
    for f in logging.getLogger("django.server").filters:
        f.filter(record)
    assert query["code"] not in record.getMessage()
