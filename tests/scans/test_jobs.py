"""The run_scan job lifecycle (DESIGN §2, §7): claim, complete, fail, retry, redelivery, sweep."""

from datetime import timedelta

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.common.models import OutboxMessage
from apps.organizations.models import WebhookDelivery
from apps.scans import services
from apps.scans.jobs import run_scan
from apps.scans.models import Scan, ScanSeries

from .conftest import SEED_BODY, body, make_endpoint, make_scan


@pytest.fixture
def endpoint(owner):
    return make_endpoint(owner.organization, "http://127.0.0.1:9/hook", [])


def _events(endpoint) -> list[str]:
    return list(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event_type", flat=True))


def test_post_enqueues_only_the_id_after_commit(owner, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(run_scan, "send", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks() as callbacks:
        response = owner.key_client().post("/v1/scans", SEED_BODY, format="json")
        assert sent == []  # nothing leaves before the transaction commits
    assert response.status_code == 201
    for callback in callbacks:
        callback()
    assert sent == [(response.json()["id"],)]


def test_seed_body_runs_to_completed_report(owner, endpoint):
    """Seed example body (seeds/scans-api.txt, POST /v1/scans) through the real engine."""
    scan = make_scan(owner.organization, data=SEED_BODY)
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "completed", scan.error_message
    assert scan.report["status"] == "optimal"
    assert scan.engine_version and scan.started_at and scan.finished_at and scan.attempts == 1
    kpi = scan.report["overview"]["kpi"]
    assert 0 < kpi["self_sufficiency"] <= 1 and kpi["yearly_usage_kwh"] > 3500  # gross load > net import
    assert scan.self_sufficiency == kpi["self_sufficiency"]
    series = ScanSeries.objects.get(scan=scan).unpack()
    assert len(series["consumption"]) == 8760
    assert _events(endpoint) == ["scan.completed"]

    # A redelivered message (or a second worker) finds the scan no longer "processing": nothing happens.
    before = (scan.report, scan.finished_at)
    assert services.scan_run(scan_id=scan.id) == "skipped"
    scan.refresh_from_db()
    assert (scan.report, scan.finished_at) == before and scan.attempts == 1
    assert _events(endpoint) == ["scan.completed"]


def test_running_scan_is_not_claimed_twice(owner):
    scan = make_scan(owner.organization, status=Scan.Status.RUNNING)
    assert services.scan_claim(scan_id=scan.id) is False
    assert services.scan_run(scan_id=scan.id) == "skipped"
    scan.refresh_from_db()
    assert scan.status == "running" and scan.attempts == 0


def test_infeasible_goal_is_an_error_with_an_actionable_message(owner, endpoint):
    data = body(
        goal="renewable-minimum",
        renewableElectricityMinFraction=0.95,
        existingPv=[],
        yearlyExportKwh=None,
        electricBattery=None,
        newPv=[{**SEED_BODY["newPv"][0], "maxPanelCount": 2}],
    )
    scan = make_scan(owner.organization, data=data)
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "error"
    assert "cannot be met" in scan.error_message and "renewableElectricityMinFraction" in scan.error_message
    assert _events(endpoint) == ["scan.failed"]
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.payload["data"]["errorMessage"] == scan.error_message


def test_bad_input_fails_without_retry(owner, endpoint, monkeypatch):
    def boom(*_):
        raise ValueError("studio profile: 8759 values, expected 8760")

    monkeypatch.setattr(services, "_run_engine", boom)
    scan = make_scan(owner.organization)
    run_scan.fn(scan.id)  # does not raise: deterministic failures are not retried
    scan.refresh_from_db()
    assert scan.status == "error" and "8759 values" in scan.error_message
    assert _events(endpoint) == ["scan.failed"]


def test_solver_failure_message(owner, monkeypatch):
    class SolverError(Exception):
        pass

    monkeypatch.setattr(services, "_run_engine", lambda *_: (_ for _ in ()).throw(SolverError("clarabel")))
    scan = make_scan(owner.organization)
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "error" and "solver failure" in scan.error_message


def test_transient_failure_is_retried_then_gives_up(owner, endpoint, monkeypatch):
    def offline(*_):
        raise httpx.ConnectError("PVGIS unreachable")

    monkeypatch.setattr(services, "_run_engine", offline)
    scan = make_scan(owner.organization)
    for attempt in range(1, services.MAX_ATTEMPTS):
        with pytest.raises(services.TransientScanError):
            run_scan.fn(scan.id)
        scan.refresh_from_db()
        assert (scan.status, scan.attempts) == ("processing", attempt)  # released for the retry
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "error" and "temporary problem" in scan.error_message
    assert _events(endpoint) == ["scan.failed"]
    assert run_scan.options["max_retries"] == services.MAX_ATTEMPTS - 1


def test_deleted_scan_message_does_nothing(owner):
    scan = make_scan(owner.organization)
    scan_id = scan.id
    scan.delete()
    assert services.scan_run(scan_id=scan_id) == "skipped"


def _sent(scan_id: str, *, ago: timedelta, count: int = 1) -> None:
    """The outbox's send log: run_scan for this scan sent `count` times, `ago` before now."""
    at = timezone.now() - ago
    for _ in range(count):
        OutboxMessage.objects.create(
            actor_path=services.RUN_SCAN_ACTOR, args=[scan_id], key=scan_id, due_at=at, sent_at=at
        )


def test_sweep_runs_an_interrupted_scan_once_more_then_fails_it(owner, endpoint):
    now = timezone.now()
    long_ago = now - services.STUCK_RUNNING_AFTER - timedelta(minutes=1)
    crashed_once = make_scan(owner.organization, status=Scan.Status.RUNNING, started_at=long_ago, attempts=1)
    crashed_twice = make_scan(owner.organization, status=Scan.Status.RUNNING, started_at=long_ago, attempts=2)
    busy = make_scan(owner.organization, status=Scan.Status.RUNNING, started_at=now, attempts=1)

    call_command("sweep_stuck_scans")
    states = dict(Scan.objects.values_list("id", "status"))
    assert states[crashed_once.id] == "processing"  # queued again: its worker died, one more run
    assert OutboxMessage.objects.filter(key=crashed_once.id, sent_at__isnull=True).count() == 1
    assert states[crashed_twice.id] == "error" and states[busy.id] == "running"
    assert "interrupted 2 times" in Scan.objects.get(pk=crashed_twice.id).error_message
    assert _events(endpoint) == ["scan.failed"]
    assert services.scans_sweep_stuck() == {"requeued": [], "failed": []}  # idempotent

    # The retry is claimed like any first run (idempotent claim); a second death fails it.
    assert services.scan_claim(scan_id=crashed_once.id)
    Scan.objects.filter(pk=crashed_once.id).update(started_at=long_ago)
    assert services.scans_sweep_stuck()["failed"] == [crashed_once.id]


def test_sweep_sends_a_lost_job_again_and_fails_after_three_sends(owner, endpoint):
    limit = services.STUCK_PROCESSING_AFTER
    old = timezone.now() - limit - timedelta(minutes=1)
    never_sent = make_scan(owner.organization)  # created before the outbox existed, or its row pruned
    lost_once = make_scan(owner.organization)
    _sent(lost_once.id, ago=limit + timedelta(minutes=1))
    lost_thrice = make_scan(owner.organization)
    _sent(lost_thrice.id, ago=limit + timedelta(minutes=1), count=services.RUN_JOB_SENDS)
    recently_sent = make_scan(owner.organization)
    _sent(recently_sent.id, ago=timedelta(minutes=1))
    broker_down = make_scan(owner.organization)  # its job still waits in the outbox: not stuck
    OutboxMessage.objects.create(
        actor_path=services.RUN_SCAN_ACTOR, args=[broker_down.id], key=broker_down.id, due_at=old
    )
    fresh = make_scan(owner.organization)
    Scan.objects.exclude(pk=fresh.pk).update(created_at=old)

    swept = services.scans_sweep_stuck()
    assert sorted(swept["requeued"]) == sorted([never_sent.id, lost_once.id])
    assert swept["failed"] == [lost_thrice.id]
    states = dict(Scan.objects.values_list("id", "status"))
    assert states[lost_thrice.id] == "error" and "No worker picked the scan up" in (
        Scan.objects.get(pk=lost_thrice.id).error_message
    )
    assert {states[s.id] for s in (never_sent, lost_once, recently_sent, broker_down, fresh)} == {
        "processing"
    }
    assert _events(endpoint) == ["scan.failed"]


def test_pvgis_weather_failures_are_classified(owner, settings, monkeypatch):
    """WEATHER_SOURCE=pvgis: a location PVGIS rejects is an input error; PVGIS being down is retried."""
    import apps.engine.weather as weather

    settings.WEATHER_SOURCE = "pvgis"
    weather.clear_memo()

    def at_sea(lat, lon, **_):
        raise RuntimeError("PVGIS TMY request failed (400): Location over the sea")

    monkeypatch.setattr(weather, "fetch_pvgis_tmy_json", at_sea)
    scan = make_scan(owner.organization)
    assert scan.inputs["weather_source"] == "pvgis"  # stored when created, so a scan is reproducible
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "error" and "No weather data for this location" in scan.error_message

    def down(lat, lon, **_):
        raise httpx.ConnectTimeout("PVGIS timed out")

    monkeypatch.setattr(weather, "fetch_pvgis_tmy_json", down)
    scan = make_scan(owner.organization)
    with pytest.raises(services.TransientScanError):
        run_scan.fn(scan.id)
