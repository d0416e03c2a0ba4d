"""The sweep runs by itself inside worker processes: no cron to deploy."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.scans.models import Scan
from apps.scans.periodic import PeriodicSweep

from .conftest import make_scan


@pytest.mark.django_db(transaction=True)
def test_worker_boot_starts_a_sweep_that_fails_stuck_scans(owner):
    crashed = make_scan(
        owner.organization, status=Scan.Status.RUNNING, started_at=timezone.now() - timedelta(hours=2)
    )
    healthy = make_scan(owner.organization, status=Scan.Status.RUNNING, started_at=timezone.now())
    sweep = PeriodicSweep(interval_s=0.05)
    sweep.after_worker_boot(broker=None, worker=None)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Scan.objects.get(pk=crashed.pk).status != "error":
            time.sleep(0.05)
    finally:
        sweep.before_worker_shutdown(broker=None, worker=None)
        sweep._thread.join(timeout=5)
    assert Scan.objects.get(pk=crashed.pk).status == "error"
    assert Scan.objects.get(pk=healthy.pk).status == "running"
    assert not sweep._thread.is_alive()
