"""The webhooks settings page lists recent deliveries and lets a manager send one again."""

import pytest

from apps.organizations.models import WebhookDelivery
from apps.organizations.services import webhook_endpoint_create


@pytest.fixture
def delivery(owner):
    endpoint = webhook_endpoint_create(
        organization=owner.organization, url="https://crm.example.test/hook", events=[]
    )
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type="scan.completed",
        payload={"type": "scan.completed", "data": {}},
        status=WebhookDelivery.Status.FAILED,
        attempt_count=3,
        last_status_code=500,
    )


def test_recent_deliveries_are_listed(client, owner, delivery):
    client.force_login(owner.user)
    page = client.get("/settings/webhooks/").content.decode()
    assert "scan.completed" in page and "crm.example.test" in page and "500" in page


def test_manager_replays_a_delivery(client, owner, delivery, django_capture_on_commit_callbacks):
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/settings/webhooks/deliveries/{delivery.pk}/replay/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert len(callbacks) == 1  # the send is queued after commit


def test_member_cannot_replay_and_outsider_gets_404(client, member, outsider, delivery):
    client.force_login(member.user)
    assert client.post(f"/settings/webhooks/deliveries/{delivery.pk}/replay/").status_code == 403
    client.force_login(outsider.user)
    assert client.post(f"/settings/webhooks/deliveries/{delivery.pk}/replay/").status_code == 404
    assert "crm.example.test" not in client.get("/settings/webhooks/").content.decode()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
