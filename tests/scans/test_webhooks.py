"""Outgoing webhooks: Standard Webhooks signatures verified by the standardwebhooks package on a local
receiver, attempts logged, retries on 5xx, replay from admin."""

import pytest
from standardwebhooks import Webhook

from apps.organizations.jobs import WEBHOOK_MAX_RETRIES, deliver_webhook
from apps.organizations.models import WebhookDelivery
from apps.organizations.webhooks import WebhookDeliveryFailed, webhook_deliver, webhook_emit
from tests.webhook_receivers import Receiver

from .conftest import complete_scan, make_endpoint


def test_scan_completed_is_signed_per_standard_webhooks(owner, receiver, seed_result):
    endpoint = make_endpoint(owner.organization, receiver.url, [])
    scan = complete_scan(owner.organization, seed_result)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event_type="scan.completed")
    webhook_deliver(delivery_id=delivery.id)

    headers, raw = receiver.requests[0]
    payload = Webhook(endpoint.secret).verify(raw, headers)  # raises if the signature is wrong
    assert payload["type"] == "scan.completed"
    assert payload["data"]["scanId"] == scan.id and payload["data"]["status"] == "completed"
    assert payload["data"]["selfSufficiency"] == scan.self_sufficiency
    assert headers["webhook-id"] == f"msg_{delivery.id}" and headers["webhook-signature"].startswith("v1,")
    # A tampered body does not verify.
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(raw.replace(scan.id.encode(), b"c" * 25), headers)
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempt_count == 1 and delivery.last_status_code == 200


def test_failed_attempt_is_logged_and_retried(owner):
    receiver = Receiver(statuses=[500])  # noqa: F811  (a receiver of its own, not the fixture)
    try:
        endpoint = make_endpoint(owner.organization, receiver.url, ["scan.failed"])
        (delivery,) = webhook_emit(
            organization=owner.organization, event_type="scan.failed", data={"scanId": "x"}
        )
        with pytest.raises(WebhookDeliveryFailed):
            webhook_deliver(delivery_id=delivery.id)  # the actor raises, so Dramatiq retries with backoff
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempt_count, delivery.last_status_code) == ("failed", 1, 500)
        assert delivery.attempts[0]["statusCode"] == 500 and delivery.attempts[0]["error"] == "HTTP 500"
        webhook_deliver(delivery_id=delivery.id)  # the retry
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempt_count) == ("succeeded", 2)
        ids = {headers["webhook-id"] for headers, _ in receiver.requests}
        assert ids == {delivery.message_id}  # the same id on every attempt, so receivers can dedupe
        for headers, raw in receiver.requests:
            Webhook(endpoint.secret).verify(raw, headers)
        webhook_deliver(delivery_id=delivery.id)  # delivered: nothing is sent again
        assert len(receiver.requests) == 2
    finally:
        receiver.close()
    assert deliver_webhook.options["max_retries"] == WEBHOOK_MAX_RETRIES > 0


def test_unreachable_endpoint_is_logged(owner):
    make_endpoint(owner.organization, "http://127.0.0.1:9/closed", [])
    (delivery,) = webhook_emit(organization=owner.organization, event_type="scan.completed", data={})
    with pytest.raises(WebhookDeliveryFailed):
        webhook_deliver(delivery_id=delivery.id)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "ConnectError" in delivery.attempts[0]["error"]


def test_only_active_subscribed_endpoints_receive(owner, outsider):
    wanted = make_endpoint(owner.organization, "http://127.0.0.1:9/a", ["scan.completed"])
    make_endpoint(owner.organization, "http://127.0.0.1:9/b", ["share.viewed"])
    inactive = make_endpoint(owner.organization, "http://127.0.0.1:9/c", [])
    inactive.active = False
    inactive.save()
    make_endpoint(outsider.organization, "http://127.0.0.1:9/d", [])
    deliveries = webhook_emit(organization=owner.organization, event_type="scan.completed", data={})
    assert [d.endpoint_id for d in deliveries] == [wanted.id]


def test_admin_replay_action(owner, admin_client, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(deliver_webhook, "send", lambda *args: sent.append(args))
    make_endpoint(owner.organization, "http://127.0.0.1:9/a", [])
    (delivery,) = webhook_emit(organization=owner.organization, event_type="scan.completed", data={})
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="succeeded")
    assert admin_client.get("/admin/organizations/webhookdelivery/").status_code == 200
    assert admin_client.get(f"/admin/organizations/webhookdelivery/{delivery.pk}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/organizations/webhookdelivery/",
            {"action": "replay_deliveries", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert sent == [(delivery.pk,)]


def test_scan_admin_pages(admin_client, completed):
    assert admin_client.get("/admin/scans/scan/").status_code == 200
    assert admin_client.get(f"/admin/scans/scan/{completed.pk}/change/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_actor_retries_a_500_with_backoff_until_delivered():
    """The deliver_webhook actor on a worker: first attempt 500, the retry (after backoff) succeeds."""
    import time

    import dramatiq
    from dramatiq.brokers.stub import StubBroker

    from apps.organizations.services import organization_create

    broker = dramatiq.get_broker()
    if type(broker) is not StubBroker:
        pytest.skip("runs a worker thread on the unit-test StubBroker")
    organization = organization_create(name="Retry BV", owner_email="retry@zon.test")
    receiver = Receiver(statuses=[500])  # noqa: F811
    worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=1)
    try:
        make_endpoint(organization, receiver.url, [])
        (delivery,) = webhook_emit(
            organization=organization, event_type="scan.completed", data={"scanId": "x"}
        )
        worker.start()
        deliver_webhook.send_with_options(args=(delivery.id,), min_backoff=50, max_backoff=200)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            delivery.refresh_from_db()
            if delivery.status == "succeeded":
                break
            time.sleep(0.1)
        assert (delivery.status, delivery.attempt_count) == ("succeeded", 2)
        assert [a["statusCode"] for a in delivery.attempts] == [500, 200]
    finally:
        worker.stop()
        receiver.close()
        broker.flush_all()


def test_secret_that_is_not_base64_is_logged_not_retried(owner):
    endpoint = make_endpoint(owner.organization, "http://127.0.0.1:9/a", [])
    endpoint.secret = "whsec_a"  # one base64 character cannot decode
    endpoint.save()
    (delivery,) = webhook_emit(organization=owner.organization, event_type="scan.completed", data={})
    webhook_deliver(delivery_id=delivery.id)  # does not raise: retrying cannot help
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "secret" in delivery.attempts[0]["error"]
