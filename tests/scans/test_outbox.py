"""The transactional outbox on the embedded test settings: a broker that refuses every send (as Redis does
while it is down) costs no 500 and loses no job; the relay sends the backlog once the broker answers again.
(tests/scans/test_broker_outage.py does the same with a real Redis that is stopped and started.)"""

import pytest
import redis

from apps.common import outbox
from apps.common.models import OutboxMessage
from apps.organizations.jobs import deliver_webhook
from apps.organizations.models import WebhookDelivery
from apps.scans import services
from apps.scans.jobs import run_scan
from apps.scans.models import Scan

from .conftest import MINIMAL_BODY, complete_scan, make_endpoint


class Broker:
    """Stands in for the actors' send: down (raises like redis-py) or up (records what was sent)."""

    def __init__(self):
        self.down, self.sent = True, []

    def send(self, *args):
        if self.down:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.sent.append(args)


@pytest.fixture
def broker(monkeypatch):
    fake = Broker()
    monkeypatch.setattr(run_scan, "send", fake.send)
    monkeypatch.setattr(deliver_webhook, "send", fake.send)
    monkeypatch.setattr(outbox, "RETRY_AFTER", outbox.RETRY_AFTER * 0)  # the next relay round is due at once
    return fake


def test_post_while_the_broker_is_down_is_saved_and_sent_later(
    owner, broker, django_capture_on_commit_callbacks
):
    client = owner.key_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/v1/scans", MINIMAL_BODY, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    assert response.status_code == 201, response.content
    scan_id = response.json()["id"]
    (row,) = OutboxMessage.objects.all()
    assert (row.args, row.sent_at, row.attempts) == (
        [scan_id],
        None,
        1,
    ) and "ConnectionError" in row.last_error
    with django_capture_on_commit_callbacks(execute=True):
        replay = client.post("/v1/scans", MINIMAL_BODY, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    assert replay.json()["id"] == scan_id and OutboxMessage.objects.count() == 1  # no second job, no quota

    assert client.get("/healthz").json()["broker"]["outboxPending"] == 1
    broker.down = False
    assert outbox.outbox_relay() == 1
    assert broker.sent == [(scan_id,)]
    row.refresh_from_db()
    assert row.sent_at is not None and Scan.objects.get(pk=scan_id).status == "processing"
    assert outbox.outbox_relay() == 0  # sent once


def test_share_page_works_while_the_broker_is_down(
    owner, broker, seed_result, client, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(owner.organization, "http://127.0.0.1:9/hook", ["share.viewed"])
    scan = services.scan_share(scan=complete_scan(owner.organization, seed_result))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/s/{scan.share_token}")
    assert page.status_code == 200
    (delivery,) = WebhookDelivery.objects.filter(endpoint=endpoint, event_type="share.viewed")
    assert OutboxMessage.objects.get(sent_at=None).args == [delivery.id]
    broker.down = False
    outbox.outbox_relay()
    assert broker.sent == [(delivery.id,)]


def test_a_row_is_sent_by_one_relay_only(owner, broker):
    broker.down = False
    row = outbox.outbox_enqueue("apps.scans.jobs.run_scan", "c-one")
    assert outbox._claim(row.pk, row.due_at, row.due_at)  # a second relay finds the lease taken
    assert not outbox._claim(row.pk, row.due_at, row.due_at)
    assert outbox.outbox_send() == 0 and broker.sent == []


def test_sent_rows_are_kept_a_day_then_pruned(owner, broker):
    from datetime import timedelta

    from django.utils import timezone

    broker.down = False
    old, recent = (outbox.outbox_enqueue("apps.scans.jobs.run_scan", f"c-{n}") for n in (1, 2))
    assert outbox.outbox_send() == 2
    OutboxMessage.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - outbox.KEEP_SENT - timedelta(minutes=1)
    )
    outbox._last_prune["at"] = None
    outbox.outbox_relay()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]  # the sweep's send log
