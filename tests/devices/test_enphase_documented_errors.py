"""The Enphase document's error answers (seeds/enphase-enlighten-api.txt), produced by the fake: 422 for
stats before the system started and for a start after the last reported interval, 401 on consumption_stats
without the consumption permission, throttling with Retry-After; and the vendor redirect's address."""

import datetime as dt
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

from apps.devices import jobs, services
from apps.devices.models import DeviceLink, Reading
from apps.devices.services import sync
from tests.devices import support
from tests.devices.support import create_link, link_enphase

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures
AMS = ZoneInfo("Europe/Amsterdam")


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=AMS)


def _hours(link_id: str, kind: str) -> list[dt.datetime]:
    return list(
        Reading.objects.filter(link_id=link_id, kind=kind).order_by("hour").values_list("hour", flat=True)
    )


def test_a_system_younger_than_the_history_syncs_from_its_start(owner, dossier, vendor_fakes):
    fake = vendor_fakes["enphase"].app
    today = fake.now().astimezone(AMS).date()
    fake.operational = today - dt.timedelta(days=1)  # started yesterday; the sync asks for 3 days back
    link_id = link_enphase(owner.key_client(), dossier)
    result = services.link_sync(link_id=link_id)
    assert result.status == "ok", result.error
    production = _hours(link_id, "production")
    assert production and production[0] >= _local_midnight(fake.operational)  # nothing before the start


def test_at_night_yesterday_is_kept_when_today_has_no_interval_yet(owner, dossier, vendor_fakes):
    fake = vendor_fakes["enphase"].app
    now = fake.now().astimezone(AMS)
    # the last reported interval is yesterday 23:00 local: today's window starts after it → 422
    fake.last_interval_lag = now - _local_midnight(now.date()) + dt.timedelta(hours=1)
    link_id = link_enphase(owner.key_client(), dossier)
    result = services.link_sync(link_id=link_id)
    assert result.status == "ok", result.error
    yesterday = now.date() - dt.timedelta(days=1)
    kept = [h for h in _hours(link_id, "production") if h.astimezone(AMS).date() == yesterday]
    assert kept  # yesterday's daylight hours (the fake leaves dark hours out)


def test_no_consumption_permission_keeps_production(owner, dossier, vendor_fakes):
    fake = vendor_fakes["enphase"].app
    fake.consumption_permission = False  # consumption_stats answers 401 (the document's ClientError)
    link_id = link_enphase(owner.key_client(), dossier)
    result = services.link_sync(link_id=link_id)
    link = DeviceLink.objects.get(pk=link_id)
    assert result.status == "ok" and link.status == "linked" and link.error_code == ""
    assert _hours(link_id, "production") and not _hours(link_id, "consumption")
    inverter = link.assets.get(kind="inverter")
    assert "HTTP 401" in inverter.facts[services.CONSUMPTION_UNAVAILABLE]


def test_job_retry_waits_as_long_as_the_vendor_says(owner, dossier, vendor_fakes):
    link_id = link_enphase(owner.key_client(), dossier)
    vendor_fakes["enphase"].app.fail_next(429, 50, retry_after=600)  # longer than the client sleeps through
    with pytest.raises(jobs.TransientSyncError) as raised:
        jobs.sync_link.fn(link_id)
    assert raised.value.delay == 600_000  # [ms] dramatiq's Retries uses this delay, not its own backoff


def _redirect_uri(link_url: str) -> str:
    return parse_qs(urlparse(link_url).query)["redirect_uri"][0]


def test_vendor_redirect_goes_to_the_address_the_server_runs_on(owner, dossier, vendor_fakes, settings):
    settings.DEVICES_PUBLIC_BASE_URL = ""
    client = owner.key_client()
    response = client.post(
        "/v1/device-links",
        {"dossierId": dossier.id, "provider": "enphase"},
        format="json",
        HTTP_HOST="localhost:8123",  # e.g. runserver 0.0.0.0:8123, not the old fixed port 8000
    )
    assert response.status_code == 201, response.content
    assert _redirect_uri(response.json()["linkUrl"]) == "http://localhost:8123/hooks/enphase/callback"

    settings.DEVICES_PUBLIC_BASE_URL = "https://solar.example/"
    body = create_link(client, dossier, "enphase")
    assert _redirect_uri(body["linkUrl"]) == "https://solar.example/hooks/enphase/callback"


def test_a_long_first_sync_continues_in_new_jobs_until_done(
    owner, dossier, vendor_fakes, settings, monkeypatch
):
    """A first sync paced to the plan's rate limit outlasts one job: each job stops between chunks when its
    budget is spent and queues the next (outbox); together they store what one uninterrupted sync stores."""
    from apps.common.models import OutboxMessage

    settings.DEVICES_HISTORY_DAYS = 8
    monkeypatch.setattr(sync, "CHUNK_DAYS", 3)  # 9 days (8 back + today)
    monkeypatch.setattr(jobs, "SYNC_BUDGET_S", 0.0)  # spent after the first chunk of every job
    link_id = link_enphase(owner.key_client(), dossier)
    runs = 0
    while True:
        jobs.sync_link.fn(link_id)
        runs += 1
        queued = OutboxMessage.objects.filter(
            actor_path="apps.devices.jobs.sync_link", key=link_id, sent_at=None
        )
        if not queued.exists():
            break
        assert queued.count() == 1 and runs < 10
        queued.update(sent_at=dt.datetime.now(dt.UTC))  # what the relay does once the job is queued
    # one 3-day chunk per job; a resumed job re-reads the day before its cursor (OVERLAP), so the 9 days
    # take 3 + 2 + 2 + 2 new days = 4 jobs
    assert runs == 4
    link = DeviceLink.objects.get(pk=link_id)
    assert link.sync_status == "ok" and link.last_sync_at is not None
    stored = sorted((h, k) for h, k in Reading.objects.filter(link_id=link_id).values_list("hour", "kind"))
    monkeypatch.setattr(jobs, "SYNC_BUDGET_S", 3600.0)
    jobs.sync_link.fn(link_id)  # an uninterrupted re-sync finds nothing missing
    again = sorted((h, k) for h, k in Reading.objects.filter(link_id=link_id).values_list("hour", "kind"))
    assert again == stored and stored
