"""Sync jobs against the fake vendors: readings stored once, idempotent, resumable, token refresh."""

import pytest

from apps.devices import crypto, services
from apps.devices.models import Asset, DeviceLink, Reading
from apps.devices.services import sync
from tests.devices import support
from tests.devices.support import link_enode, link_enphase

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures


def snapshot(link_id: str) -> list[tuple]:
    return list(
        Reading.objects.filter(link_id=link_id)
        .order_by("asset_id", "kind", "hour")
        .values_list("id", "asset_id", "kind", "hour", "kwh")
    )


@pytest.fixture
def enode_link(owner, dossier, vendor_fakes) -> str:
    return link_enode(owner.key_client(), dossier)


def test_sync_stores_readings_and_resync_changes_nothing(enode_link):
    first = services.link_sync(link_id=enode_link)
    assert first.status == "ok" and first.readings_written > 0
    before = snapshot(enode_link)
    kinds = {kind for _, _, kind, _, _ in before}
    assert {"production", "consumption", "grid_import", "grid_export"} <= kinds
    again = services.link_sync(link_id=enode_link)
    assert again.status == "ok"
    assert snapshot(enode_link) == before  # same rows (ids too), same values
    link = DeviceLink.objects.get(pk=enode_link)
    assert link.sync_status == "ok" and link.last_sync_at and link.sync_started_at is None


def test_measured_production_is_stored_on_the_link_and_inverter(enode_link):
    services.link_sync(link_id=enode_link)
    link = DeviceLink.objects.get(pk=enode_link)
    inverter = link.assets.get(kind="inverter")
    total = sum(
        kwh for kwh in Reading.objects.filter(asset=inverter, kind="production").values_list("kwh", flat=True)
    )
    assert total > 0
    assert inverter.measured_kwh["production"] == pytest.approx(total, abs=1e-3)
    assert link.measured_production_kwh == pytest.approx(total, abs=1e-3)  # inverter, not HEM generation too
    assert link.measured_grid_import_kwh > 0 and link.measured_grid_export_kwh is not None  # Nov: no export


def test_a_sync_cut_by_vendor_errors_resumes_where_it_stopped(
    enode_link, vendor_fakes, monkeypatch, settings
):
    settings.DEVICES_HISTORY_DAYS = 8
    fake = vendor_fakes["enode"].app
    monkeypatch.setattr(sync, "CHUNK_DAYS", 3)
    store = sync._store_chunk
    calls = []

    def store_then_break(*args, **kwargs):
        written = store(*args, **kwargs)
        calls.append(written)
        if len(calls) == 2:  # mid-way through the first asset's (HEM system's) history: vendor down
            fake.fail_next(500, 50)
        return written

    monkeypatch.setattr(sync, "_store_chunk", store_then_break)
    broken = services.link_sync(link_id=enode_link)
    assert broken.status == "partial" and broken.retryable and broken.readings_written > 0
    link = DeviceLink.objects.get(pk=enode_link)
    assert (
        link.sync_status == "partial" and link.error_code == "vendor_unavailable" and link.status == "linked"
    )
    kept = snapshot(enode_link)
    assert kept  # finished chunks stay

    fake.reset()  # vendor back
    monkeypatch.setattr(sync, "_store_chunk", store)
    hem_before = len(fake.requests_to("/hem-systems/"))
    resumed = services.link_sync(link_id=enode_link)
    assert resumed.status == "ok"
    # 9 days of history in chunks of 3; two chunks were stored: resume re-reads one day of overlap
    # and the last chunk (4 days), not the 6 days already stored
    assert len(fake.requests_to("/hem-systems/")) - hem_before == 4
    after = snapshot(enode_link)
    assert set(kept) <= set(after)  # earlier rows untouched, nothing duplicated
    assert len(after) == len({(a, k, h) for _, a, k, h, _ in after})

    # the resumed result equals a clean full sync
    again = services.link_sync(link_id=enode_link)
    assert again.status == "ok" and snapshot(enode_link) == after


def test_expired_enphase_token_is_refreshed_and_stored_encrypted(owner, dossier, vendor_fakes):
    link_id = link_enphase(owner.key_client(), dossier)
    assert services.link_sync(link_id=link_id).status == "ok"
    before = crypto.decrypt_json(DeviceLink.objects.get(pk=link_id).token_encrypted)
    vendor_fakes["enphase"].app.expire_tokens()  # the API answers 401 to the current token
    assert services.link_sync(link_id=link_id).status == "ok"
    after = crypto.decrypt_json(DeviceLink.objects.get(pk=link_id).token_encrypted)
    assert after["access_token"] != before["access_token"]
    assert after["refresh_token"] != before["refresh_token"]  # Enlighten rotates refresh tokens
    assert Reading.objects.filter(link_id=link_id, kind="production").exists()
    assert Reading.objects.filter(link_id=link_id, kind="consumption").exists()


def test_expired_enode_app_token_is_fetched_again(enode_link, vendor_fakes):
    vendor_fakes["enode"].app.expire_tokens()
    assert services.link_sync(link_id=enode_link).status == "ok"


def test_refused_grant_puts_the_link_in_error_without_retry(owner, dossier, vendor_fakes):
    link_id = link_enphase(owner.key_client(), dossier)
    token = crypto.decrypt_json(DeviceLink.objects.get(pk=link_id).token_encrypted)
    fake = vendor_fakes["enphase"].app
    fake.expire_tokens()
    fake.refresh_tokens.clear()  # the household revoked the app at Enphase
    result = services.link_sync(link_id=link_id)
    assert result.status == "failed" and not result.retryable
    link = DeviceLink.objects.get(pk=link_id)
    assert link.status == "error" and link.error_code == "vendor_auth_failed"
    assert (
        token["access_token"] not in link.error_message and token["refresh_token"] not in link.error_message
    )
    assert link.token_encrypted  # kept until the household links again or the link is deleted


def test_a_running_sync_is_not_started_twice(enode_link):
    from django.utils import timezone

    DeviceLink.objects.filter(pk=enode_link).update(sync_started_at=timezone.now())
    assert services.link_sync(link_id=enode_link).status == "skipped"
    assert not Reading.objects.exists()


def test_dossier_device_facts(owner, enode_link, dossier):
    from apps.devices.selectors import dossier_device_facts

    services.link_sync(link_id=enode_link)
    facts = dossier_device_facts(organization=owner.organization, dossier_id=dossier.id)
    assert facts["battery"]["capacityKwh"] == 5.0 and facts["vehicle"]["capacityKwh"] == 58.0
    assert facts["charger"]["facts"]["max_current_a"] == 16.0
    inverter = Asset.objects.get(link_id=enode_link, kind="inverter")
    assert facts["production"]["measuredYearlyKwh"] == pytest.approx(inverter.measured_kwh["production"])


def test_periodic_refresh_queues_each_due_link_once(enode_link):
    import datetime as dt

    from django.utils import timezone

    hour = dt.timedelta(hours=1)
    assert services.links_queue_refresh(max_age=hour) == [enode_link]  # never synced
    assert services.links_queue_refresh(max_age=hour) == []  # already queued
    services.link_sync(link_id=enode_link)
    assert services.links_queue_refresh(max_age=hour) == []  # fresh
    later = timezone.now() + 2 * hour
    assert services.links_queue_refresh(max_age=hour, now=later) == [enode_link]


def test_an_unexpected_error_is_not_recorded_as_ok(enode_link, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sync, "_store_chunk", boom)
    with pytest.raises(RuntimeError):
        services.link_sync(link_id=enode_link)
    link = DeviceLink.objects.get(pk=enode_link)
    assert link.sync_status == "failed" and link.sync_started_at is None and link.last_sync_at is None
