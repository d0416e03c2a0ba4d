"""Races that only a real database (PostgreSQL) and a real broker (Redis + a worker process) can show."""

import os
import subprocess
import sys
import threading
import time

import dramatiq
import pytest
from django.conf import settings
from django.db import connection, connections

from apps.common.errors import QuotaExceeded
from apps.organizations.services import api_key_create, organization_create
from apps.scans import services
from apps.scans.models import Scan, ScanUsage
from tests.databases import database_url

from .conftest import SEED_BODY, resolved_inputs

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL=postgres://…)"
)


def _in_threads(count, target):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_quota_holds_under_concurrent_posts():
    organization = organization_create(name="Racers", owner_email="race@zon.test")
    organization.monthly_scan_quota = 1
    organization.save()
    inputs = resolved_inputs({"location": {"lat": 52, "lon": 5}, "inputMethod": "known", "yearlyKwh": 3000})

    results = _in_threads(4, lambda: services.scan_create(organization=organization, inputs=dict(inputs)))
    created = [r for r in results if isinstance(r, services.CreatedScan)]
    refused = [r for r in results if isinstance(r, QuotaExceeded)]
    assert (len(created), len(refused)) == (1, 3), results
    assert Scan.objects.filter(organization=organization).count() == 1
    assert ScanUsage.objects.get(organization=organization).count == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_same_idempotency_key_concurrently_gives_one_scan():
    organization = organization_create(name="Twice", owner_email="twice@zon.test", plan="paid")
    inputs = resolved_inputs({"location": {"lat": 52, "lon": 5}, "inputMethod": "known", "yearlyKwh": 3000})

    results = _in_threads(
        3,
        lambda: services.scan_create(
            organization=organization, inputs=dict(inputs), idempotency_key="same", body_hash="h"
        ),
    )
    assert all(isinstance(r, services.CreatedScan) for r in results), results
    assert len({r.scan.id for r in results}) == 1 and sum(r.created for r in results) == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_claim_a_scan_once():
    organization = organization_create(name="Claims", owner_email="claims@zon.test", plan="paid")
    inputs = resolved_inputs({"location": {"lat": 52, "lon": 5}, "inputMethod": "known", "yearlyKwh": 3000})
    scan = Scan.objects.create(organization=organization, inputs=inputs, goal="cost-savings")
    results = _in_threads(4, lambda: services.scan_claim(scan_id=scan.id))
    assert sorted(results) == [False, False, False, True]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_posted_scan_is_completed_by_a_real_worker():
    if not settings.DRAMATIQ_BROKER_URL.startswith("redis://") or connection.vendor != "postgresql":
        pytest.skip("needs DRAMATIQ_BROKER_URL=redis://… and DATABASE_URL=postgres://…")
    from rest_framework.test import APIClient

    dramatiq.get_broker().flush_all()
    organization = organization_create(name="Worker BV", owner_email="worker@zon.test", plan="paid")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=api_key_create(organization=organization, name="ci").raw_key)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "1"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        response = client.post("/v1/scans", SEED_BODY, format="json")
        assert response.status_code == 201, response.content
        scan_id = response.json()["id"]
        deadline = time.monotonic() + 120
        status = "processing"
        while time.monotonic() < deadline and status == "processing":
            time.sleep(0.5)
            status = client.get(f"/v1/scans/{scan_id}/status").json()["status"]
        assert status == "completed", Scan.objects.get(pk=scan_id).error_message
        report = client.get(f"/v1/scans/{scan_id}").json()
        assert report["status"] == "optimal" and report["overview"]["kpi"]["yearlyUsageKwh"] > 0
    finally:
        process.terminate()
        process.wait(timeout=30)
