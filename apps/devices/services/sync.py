"""Syncing readings: queue syncs, claim a link, pull each asset's readings through the vendor's adapter in
chunks, and keep the link's measured totals (and its studio profile) up to date.

Sync rules:

* A sync covers, per asset, the days from the asset's cursor (``synced_through``, minus one day of
  overlap for late vendor data) — or ``history_days()`` back on the first run — up to today.
* Data are fetched and stored in chunks of ``CHUNK_DAYS``; each chunk is one transaction that upserts
  its readings on ``(link, asset, kind, hour)`` and moves the cursor. A failure keeps every finished
  chunk, and the next run resumes from the cursor. Re-running stores the same values again (no new rows).
* One sync per link at a time: the run claims the link with a conditional UPDATE on ``sync_started_at``.
* Vendor outages and throttling are retryable (the job retries); refused credentials are not: the link
  goes to ``error`` and the household must link again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.common.errors import AppError
from apps.common.outbox import outbox_enqueue
from apps.devices import vendors
from apps.devices.clients import VendorAuthError, VendorError, VendorRateLimited, VendorUnavailable
from apps.devices.models import Asset, DeviceLink, Reading
from apps.devices.services.adapters import ADAPTERS
from apps.devices.services.assets import record_error
from apps.devices.services.errors import DeviceLinkError
from apps.devices.services.measured import measured_totals_update, studio_profile_from_link
from apps.devices.signals import readings_synced

logger = logging.getLogger(__name__)

CHUNK_DAYS = 31
OVERLAP = dt.timedelta(days=1)
STALE_SYNC = dt.timedelta(hours=2)  # a claim older than this is taken over (crashed worker)
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")  # vendors' "day" (Enode statistics are per local day)


@dataclass
class SyncResult:
    link_id: str
    status: str  # DeviceLink.SyncStatus value, or "skipped"
    readings_written: int = 0
    error: str = ""
    retryable: bool = False
    retry_after: float | None = None  # [s] the vendor's own wait (Retry-After / 409 period_end)
    resume: bool = False  # the job's time budget ran out between chunks: continue in a new job
    assets: list[str] = field(default_factory=list)


def link_request_sync(*, link: DeviceLink) -> DeviceLink:
    """Queue a sync (the API's "sync now"): the job is saved with the change (outbox), sent after commit."""
    if link.status == DeviceLink.Status.REVOKED:
        raise DeviceLinkError("This link was revoked; link the device again.", code="link_revoked")
    with transaction.atomic():
        if link.sync_status != DeviceLink.SyncStatus.RUNNING:
            link.sync_status = DeviceLink.SyncStatus.QUEUED
            link.save(update_fields=["sync_status", "updated_at"])
        outbox_enqueue("apps.devices.jobs.sync_link", link.pk)
    return link


def links_queue_refresh(*, max_age: dt.timedelta, now: dt.datetime | None = None) -> list[str]:
    """Mark linked links whose last sync is older than ``max_age`` as queued and return their ids (the
    caller sends the jobs). The conditional UPDATE queues each link once even when several workers run
    this at the same time; a link queued longer than ``max_age`` ago (lost message) is queued again."""
    now = now or timezone.now()
    stale = now - max_age
    not_busy = ~Q(sync_status=DeviceLink.SyncStatus.RUNNING) & (
        ~Q(sync_status=DeviceLink.SyncStatus.QUEUED) | Q(updated_at__lt=stale)
    )
    due = DeviceLink.objects.filter(status=DeviceLink.Status.LINKED).filter(
        Q(last_sync_at__isnull=True) | Q(last_sync_at__lt=stale)
    )
    queued = []
    for link_id in due.filter(not_busy).values_list("pk", flat=True):
        if (
            DeviceLink.objects.filter(pk=link_id)
            .filter(not_busy)
            .update(sync_status=DeviceLink.SyncStatus.QUEUED, updated_at=now)
        ):
            queued.append(link_id)
    return queued


def _claim(link_id: str, now: dt.datetime) -> bool:
    return bool(
        DeviceLink.objects.filter(pk=link_id)
        .exclude(status=DeviceLink.Status.REVOKED)
        .filter(Q(sync_started_at__isnull=True) | Q(sync_started_at__lt=now - STALE_SYNC))
        .update(sync_started_at=now, sync_status=DeviceLink.SyncStatus.RUNNING)
    )


class SyncBudgetSpent(Exception):
    """The job's time budget would run out during the next chunk: stop here, a new job resumes."""


def link_sync(*, link_id: str, now: dt.datetime | None = None, budget_s: float | None = None) -> SyncResult:
    """Pull readings for every asset of the link (see the module docstring). Idempotent, resumable.

    `budget_s` [s]: stop between chunks before this much time is spent (a first Enphase sync paced to the
    plan's rate limit takes longer than one job may run) and return `resume=True`."""
    now = now or timezone.now()
    _budget.deadline = None if budget_s is None else time.monotonic() + budget_s
    _budget.last_chunk_s, _budget.chunks = 0.0, 0
    if not _claim(link_id, now):
        return SyncResult(link_id, "skipped")
    link = DeviceLink.objects.get(pk=link_id)
    # FAILED until the end is reached, so an unexpected error (a bug, the database) is not recorded as ok
    result = SyncResult(link_id, DeviceLink.SyncStatus.FAILED)
    try:
        ADAPTERS[link.provider].sync(link, _Run(link, now, result))
        result.status = DeviceLink.SyncStatus.OK
    except SyncBudgetSpent:
        result.status, result.resume = DeviceLink.SyncStatus.PARTIAL, True
    except VendorAuthError as exc:
        result.status, result.error = DeviceLink.SyncStatus.FAILED, str(exc)
        record_error(link, "vendor_auth_failed", str(exc), status=DeviceLink.Status.ERROR)
    except (VendorUnavailable, VendorRateLimited) as exc:
        result.status = (
            DeviceLink.SyncStatus.PARTIAL if result.readings_written else DeviceLink.SyncStatus.FAILED
        )
        result.error, result.retryable = str(exc), True
        result.retry_after = getattr(exc, "retry_after", None)
        record_error(link, "vendor_unavailable", str(exc))
    except VendorError as exc:
        result.status, result.error = DeviceLink.SyncStatus.FAILED, str(exc)
        record_error(link, "vendor_error", str(exc))
    finally:
        fields = {"sync_started_at": None, "sync_status": result.status}
        if result.status == DeviceLink.SyncStatus.OK:
            fields.update(last_sync_at=timezone.now(), error_code="", error_message="", error_at=None)
        DeviceLink.objects.filter(pk=link_id).update(**fields)
    link.refresh_from_db()
    if result.status == DeviceLink.SyncStatus.OK:
        measured_totals_update(link)
        readings_synced.send(sender=DeviceLink, link=link, dossier=link.dossier)
        if link.studio_profile_id:
            try:
                studio_profile_from_link(link=link, profile=link.studio_profile)
            except AppError as exc:
                logger.warning(
                    "devices: studio profile %s not updated from link %s: %s",
                    link.studio_profile_id,
                    link.pk,
                    exc.detail,
                )
    return result


def _day_windows(asset: Asset, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Inclusive local-day windows still to fetch for ``asset`` (today is always re-read)."""
    first = today - dt.timedelta(days=vendors.history_days())
    if asset.synced_through:
        first = max(first, (asset.synced_through - OVERLAP).astimezone(LOCAL_TZ).date())
    windows, day = [], first
    while day <= today:
        end = min(today, day + dt.timedelta(days=CHUNK_DAYS - 1))
        windows.append((day, end))
        day = end + dt.timedelta(days=1)
    return windows


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def _store_chunk(link: DeviceLink, asset: Asset, series: dict[str, pd.Series], through: dt.datetime) -> int:
    """Upsert one chunk's readings and move the asset's cursor, in one transaction."""
    rows = []
    for kind, values in series.items():
        values = values.dropna()
        for hour, kwh in zip(values.index, values.to_numpy(dtype=float), strict=True):
            rows.append(
                Reading(
                    link=link, asset=asset, kind=kind, hour=hour.to_pydatetime(), kwh=round(float(kwh), 6)
                )
            )
    with transaction.atomic():
        if rows:
            Reading.objects.bulk_create(
                rows,
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["link", "asset", "kind", "hour"],
                update_fields=["kwh"],
            )
        if asset.synced_through is None or through > asset.synced_through:
            asset.synced_through = through
            Asset.objects.filter(pk=asset.pk).update(synced_through=through)
    return len(rows)


_budget = threading.local()  # per worker thread: the running sync's deadline and last chunk's duration


def _check_budget() -> None:
    """Raise SyncBudgetSpent when the next chunk would likely overrun the deadline (never before the first
    chunk of a job, so every job makes progress)."""
    deadline = getattr(_budget, "deadline", None)
    if (
        deadline is not None
        and getattr(_budget, "chunks", 0)
        and time.monotonic() + 1.5 * getattr(_budget, "last_chunk_s", 0.0) > deadline
    ):
        raise SyncBudgetSpent


@dataclass
class _Run:
    """One running sync of one link, as its vendor adapter sees it (``adapters.SyncRun``)."""

    link: DeviceLink
    now: dt.datetime
    result: SyncResult

    def days(self, asset: Asset, fetch) -> None:
        """Fetch ``fetch(first_day, last_day) -> {kind: Series}`` window by window and store each."""
        today = self.now.astimezone(LOCAL_TZ).date()
        for first, last in _day_windows(asset, today):
            _check_budget()
            started = time.monotonic()
            series = fetch(first, last)
            _budget.last_chunk_s = time.monotonic() - started
            _budget.chunks = getattr(_budget, "chunks", 0) + 1
            # the cursor never passes the start of today: today is incomplete and re-read next time
            through = min(_local_midnight(last + dt.timedelta(days=1)), _local_midnight(today))
            self.store(asset, series, through)
        self.done(asset)

    def bounds(self, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return _local_midnight(first), min(_local_midnight(last + dt.timedelta(days=1)), self.now)

    def store(self, asset: Asset, series: dict[str, pd.Series], through: dt.datetime) -> None:
        self.result.readings_written += _store_chunk(self.link, asset, series, through)

    def done(self, asset: Asset) -> None:
        self.result.assets.append(asset.pk)
