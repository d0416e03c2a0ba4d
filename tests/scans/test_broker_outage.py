"""A broker outage loses nothing (transactional outbox): the test runs its own Redis, stops it while scans are
posted and a share page is viewed, starts it again and measures how long the backlog takes to clear.

Needs PostgreSQL (a worker subprocess shares the test database) and the CI's Redis pass; the Redis it stops is
its own (a free port in 6391-6399), never the shared one."""

import time

import pytest

from apps.common.ids import new_token
from apps.common.jobs import health_ping
from apps.common.models import HealthPing, OutboxMessage
from apps.organizations.models import WebhookDelivery
from apps.organizations.services import api_key_create, organization_create
from apps.scans import services
from apps.scans.models import Scan, ScanUsage
from tests.webhook_receivers import Receiver

from .conftest import MINIMAL_BODY, complete_scan, make_endpoint
from .waiting import wait_until
from .worker_processes import spawn_worker, stop_worker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outage(own_redis):
    worker = spawn_worker(own_redis)
    try:
        yield own_redis
    finally:
        stop_worker(worker)


def test_broker_outage_loses_nothing_and_costs_no_quota(outage, seed_result, client):
    organization = organization_create(name="Outage BV", owner_email="outage@zon.test", plan="paid")
    scans_org = organization_create(name="Free BV", owner_email="free@zon.test")  # free plan: quota counts
    api = api_key_create(organization=scans_org, name="ci").raw_key
    receiver = Receiver()
    try:
        make_endpoint(organization, receiver.url, ["share.viewed"])
        shared = complete_scan(organization, seed_result)
        services.scan_share(scan=shared)
        token = new_token(8)
        health_ping.send(token)  # the worker is up and listening before the outage
        assert wait_until(lambda: HealthPing.objects.filter(token=token).exists(), 60)

        outage.stop()
        headers = {"HTTP_X_API_KEY": api}
        posted = [client.post("/v1/scans", MINIMAL_BODY, content_type="application/json", **headers)]
        posted.append(
            client.post(
                "/v1/scans",
                MINIMAL_BODY,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="k1",
                **headers,
            )
        )
        replay = client.post(
            "/v1/scans", MINIMAL_BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", **headers
        )
        assert [r.status_code for r in posted] == [201, 201], [r.content for r in posted]
        assert replay.json()["id"] == posted[1].json()["id"]  # the replay names the same (queued) scan
        assert client.get(f"/s/{shared.share_token}").status_code == 200  # the share page never fails
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["broker"]["outboxPending"] == 3
        ids = [r.json()["id"] for r in posted]

        outage.start()
        back = time.monotonic()
        assert wait_until(lambda: Scan.objects.filter(pk__in=ids, status="completed").count() == 2, 120), (
            list(Scan.objects.filter(pk__in=ids).values_list("status", "error_message"))
        )
        assert wait_until(lambda: WebhookDelivery.objects.filter(status="succeeded").count() == 1, 60)
        recovered_s = time.monotonic() - back
        assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
        # Two quota units were used and both bought a completed scan (the replay used none).
        assert ScanUsage.objects.get(organization=scans_org).count == 2
        assert recovered_s < 60
        print(f"broker back: 2 queued scans completed and share.viewed delivered in {recovered_s:.1f} s")
    finally:
        receiver.close()
