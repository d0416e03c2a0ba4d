"""A worker killed with -9 mid-scan: nothing is lost. Its prefetched messages come back once its heartbeat is
stale (not after ~27 min of dramatiq's default maintenance chance), and the scan it was running is run once
more by the sweep after the time limit plus a grace (SCAN_TIME_LIMIT_S is shortened for the test)."""

import os
import signal
import time

import pytest

from apps.organizations.services import api_key_create, organization_create
from apps.scans.models import Scan

from .conftest import SEED_BODY
from .worker_processes import spawn_worker, stop_worker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

FAST_RECOVERY = {
    "SCAN_TIME_LIMIT_S": "20",  # → a running scan counts as interrupted after 20 + 30 s
    "SCAN_SWEEP_INTERVAL_S": "2",
    "DRAMATIQ_HEARTBEAT_TIMEOUT_MS": "5000",
}


def test_worker_killed_mid_scan_loses_nothing(own_redis, client):
    organization = organization_create(name="Crash BV", owner_email="crash@zon.test", plan="paid")
    headers = {"HTTP_X_API_KEY": api_key_create(organization=organization, name="ci").raw_key}
    first = spawn_worker(own_redis, threads=1, **FAST_RECOVERY)
    second = None
    try:
        ids = [
            client.post("/v1/scans", SEED_BODY, content_type="application/json", **headers).json()["id"]
            for _ in range(3)
        ]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not Scan.objects.filter(pk__in=ids, status="running").exists():
            time.sleep(0.02)
        running = list(Scan.objects.filter(pk__in=ids, status="running").values_list("id", flat=True))
        assert running, "no scan started"
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker (parent and child), as a crashed machine
        first.wait(timeout=10)
        killed = time.monotonic()
        assert Scan.objects.filter(pk__in=ids).exclude(status="completed").exists()

        second = spawn_worker(own_redis, threads=1, **FAST_RECOVERY)
        deadline = killed + 240
        others_s = None  # the scans the dead worker had prefetched or left queued
        while time.monotonic() < deadline and Scan.objects.filter(pk__in=ids, status="completed").count() < 3:
            if others_s is None and Scan.objects.filter(
                pk__in=set(ids) - set(running), status="completed"
            ).count() == len(ids) - len(running):
                others_s = time.monotonic() - killed
            time.sleep(0.5)
        recovered_s = time.monotonic() - killed
        if others_s is None:  # the others finished in the same poll as the interrupted one
            others_s = recovered_s
        states = dict(Scan.objects.filter(pk__in=ids).values_list("id", "status"))
        assert sorted(states.values()) == ["completed"] * 3, states
        interrupted = Scan.objects.get(pk=running[0])
        assert interrupted.attempts == 2  # run once more after the crash, and completed
        print(
            f"worker killed mid-scan: the other scans completed {others_s:.1f} s and all 3 {recovered_s:.1f} s "
            "after the kill"
        )
    finally:
        for worker in (first, second):
            if worker is not None:
                stop_worker(worker)
