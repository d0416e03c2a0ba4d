"""Reliability on a worker (unit-test StubBroker): time limits caught, and scans never wait for webhooks."""

import socket
import time

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker

from apps.organizations import webhooks
from apps.organizations.models import WebhookDelivery
from apps.scans import services
from apps.scans.jobs import run_scan
from apps.scans.models import Scan
from config.dramatiq import start_queue_workers

from .conftest import make_endpoint, make_scan
from .waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stub():
    broker = dramatiq.get_broker()
    if type(broker) is not StubBroker:
        pytest.skip("runs worker threads on the unit-test StubBroker")
    broker.flush_all()
    workers = []
    yield broker, workers
    for worker in workers:
        worker.stop()
    broker.flush_all()


def test_time_limit_fails_the_scan_at_once_with_the_advice(owner, stub, monkeypatch):
    broker, workers = stub

    def runaway_engine(*args, **kwargs):  # pure Python, so the time limit's async exception lands
        for _ in range(600):
            time.sleep(0.05)
        raise AssertionError("the time limit did not stop the engine")

    monkeypatch.setattr(services, "_run_engine", runaway_engine)
    make_endpoint(owner.organization, "http://127.0.0.1:9/hook", [])
    scan = make_scan(owner.organization)
    workers += start_queue_workers(broker, {"scans": 1}, worker_timeout=50)
    started = time.monotonic()
    run_scan.send_with_options(args=(scan.id,), time_limit=500)

    assert wait_until(lambda: Scan.objects.get(pk=scan.id).status == "error", 15)
    elapsed = time.monotonic() - started
    scan.refresh_from_db()
    assert "Narrow the panel or battery ranges" in scan.error_message
    assert elapsed < 10  # the 0.5 s limit (checked every second), not the sweep's minutes
    assert list(WebhookDelivery.objects.values_list("event_type", flat=True)) == ["scan.failed"]


def test_scans_keep_their_pace_while_webhook_deliveries_time_out(owner, stub, monkeypatch, seed_result):
    """8 deliveries to an endpoint that never answers (each waits for the timeout) are queued first; the
    scans behind them still finish before the first delivery attempt ends, because scans have their own
    worker. With one shared worker of the same 2 threads they would wait the full timeout (control below)."""
    broker, workers = stub
    silent = socket.socket()  # accepts connections (listen backlog) but never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    monkeypatch.setattr(webhooks, "DELIVERY_TIMEOUT_S", 4.0)
    monkeypatch.setattr(services, "_run_engine", lambda *a, **k: (time.sleep(0.1), seed_result)[1])
    make_endpoint(owner.organization, f"http://127.0.0.1:{silent.getsockname()[1]}/hook", [])
    deliveries = [
        webhooks.webhook_emit(organization=owner.organization, event_type="share.viewed", data={"n": n})[0]
        for n in range(8)
    ]
    scans = [make_scan(owner.organization) for _ in range(4)]
    try:
        workers += start_queue_workers(broker, {"scans": 2, "webhooks": 2}, worker_timeout=50)
        from apps.organizations.jobs import deliver_webhook

        for delivery in deliveries:
            deliver_webhook.send(delivery.id)
        time.sleep(0.3)  # both webhook threads are now blocked on the silent endpoint
        started = time.monotonic()
        for scan in scans:
            run_scan.send(scan.id)
        ids = [s.id for s in scans]
        assert wait_until(lambda: Scan.objects.filter(pk__in=ids, status="completed").count() == 4, 30)
        elapsed = time.monotonic() - started
        attempted = WebhookDelivery.objects.filter(pk__in=[d.id for d in deliveries], attempt_count__gt=0)
        assert attempted.count() == 0, "scans waited for a delivery attempt to time out"
        assert elapsed < 4.0
        print(f"4 scans completed in {elapsed:.2f} s while 8 deliveries were timing out")
    finally:
        silent.close()
