"""The sweep runs by itself inside worker processes: no cron to deploy."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.scans import services
from apps.scans.models import Scan
from apps.scans.periodic import PeriodicSweep

from .conftest import make_scan


@pytest.mark.django_db(transaction=True)
def test_worker_boot_starts_a_sweep_that_fails_stuck_scans(owner, monkeypatch):
    crashed = make_scan(  # interrupted once already: this time it is failed, not run again
        owner.organization,
        status=Scan.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
        attempts=services.INTERRUPTED_RETRIES + 1,
    )
    healthy = make_scan(owner.organization, status=Scan.Status.RUNNING, started_at=timezone.now())
    swept = threading.Event()
    real_sweep = services.scans_sweep_stuck

    def observed_sweep():
        result = real_sweep()
        swept.set()
        return result

    monkeypatch.setattr(services, "scans_sweep_stuck", observed_sweep)
    sweep = PeriodicSweep(interval_s=0.05)
    sweep.after_worker_boot(broker=None, worker=None)
    try:
        assert swept.wait(timeout=10), "the sweep thread did not run"
    finally:
        sweep.before_worker_shutdown(broker=None, worker=None)
        sweep._thread.join(timeout=5)
    assert not sweep._thread.is_alive()
    assert Scan.objects.get(pk=crashed.pk).status == "error"
    assert Scan.objects.get(pk=healthy.pk).status == "running"
