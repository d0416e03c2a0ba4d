"""Device-link writes: linking (Enode Link UI, Enphase OAuth, POD registration), syncing readings,
webhooks, unlinking, and feeding measured data into studio profiles.

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
import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from apps.common.errors import AppError, NotFound
from apps.common.outbox import outbox_enqueue
from apps.devices import crypto, vendors
from apps.devices.clients import (
    AssetFact,
    OAuthStateError,
    VendorAuthError,
    VendorError,
    VendorInputError,
    VendorRateLimited,
    VendorRequestError,
    VendorResponseError,
    VendorUnavailable,
)
from apps.devices.clients.enode import parse_webhook_events, verify_webhook_signature
from apps.devices.clients.enphase import check_oauth_state, new_oauth_state
from apps.devices.clients.pod import validate_pod
from apps.devices.models import Asset, DeviceLink, Provider, Reading, WebhookDelivery
from apps.devices.signals import readings_synced
from apps.dossiers.models import Dossier
from apps.organizations.models import Organization

logger = logging.getLogger(__name__)

CHUNK_DAYS = 31
OVERLAP = dt.timedelta(days=1)
STALE_SYNC = dt.timedelta(hours=2)  # a claim older than this is taken over (crashed worker)
OAUTH_STATE_TTL = dt.timedelta(minutes=30)
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")  # vendors' "day" (Enode statistics are per local day)
YEAR = dt.timedelta(days=365)
MIN_STUDIO_DAYS = 7  # the studio's meter-file rule: fewer days cannot be completed into a year

ENODE_DEFAULT_SCOPES = (
    "inverter:read:data",
    "inverter:read:location",
    "meter:read:data",
    "battery:read:data",
    "vehicle:read:data",
    "charger:read:data",
    "hvac:read:data",
)

# Enode HEM statistics series -> our reading kinds (batteryLevel is a percentage: not stored)
HEM_KINDS = {
    "generation": Reading.Kind.PRODUCTION,
    "consumption": Reading.Kind.CONSUMPTION,
    "gridImport": Reading.Kind.GRID_IMPORT,
    "gridExport": Reading.Kind.GRID_EXPORT,
    "batteryCharge": Reading.Kind.BATTERY_CHARGE,
    "batteryDischarge": Reading.Kind.BATTERY_DISCHARGE,
}


class DeviceLinkError(AppError):
    status = 400
    code = "device_link_error"
    title = "Device link request failed"


class VendorFailure(AppError):
    status = 502
    code = "vendor_error"
    title = "The device vendor did not cooperate"


def vendor_app_error(exc: VendorError) -> AppError:
    """Map a vendor failure onto the API's one error type (messages are already free of secrets)."""
    if isinstance(exc, OAuthStateError):
        return DeviceLinkError(str(exc), code="invalid_oauth_state")
    if isinstance(exc, VendorInputError):
        return DeviceLinkError(str(exc), code="invalid_vendor_input")
    if isinstance(exc, VendorRateLimited):
        return VendorFailure(str(exc), status=503, code="vendor_rate_limited")
    if isinstance(exc, VendorUnavailable):
        return VendorFailure(str(exc), status=503, code="vendor_unavailable")
    if isinstance(exc, VendorAuthError):
        return VendorFailure(str(exc), code="vendor_auth_failed")
    return VendorFailure(str(exc))


# ------------------------------------------------------------------------------------------- assets


def _asset_defaults(fact: AssetFact) -> dict:
    extra = {
        k: v for k, v in (fact.extra or {}).items() if isinstance(v, str | int | float | bool) or v is None
    }
    return {
        "organization_id": None,  # filled by caller
        "name": (fact.name or "")[:200],
        "brand": (fact.brand or "")[:100],
        "model": (fact.model or "")[:100],
        "capacity_kw": fact.capacity_kw,
        "capacity_kwh": fact.capacity_kwh,
        "hem_system_id": (fact.hem_system_id or "")[:120],
        "facts": extra,
    }


def _upsert_assets(link: DeviceLink, facts: list[AssetFact]) -> list[Asset]:
    assets = []
    for fact in facts:
        defaults = _asset_defaults(fact)
        defaults["organization_id"] = link.organization_id
        asset, _ = Asset.objects.update_or_create(
            link=link, kind=fact.kind, vendor_id=fact.vendor_id[:120], defaults=defaults
        )
        assets.append(asset)
    return assets


def _mark_linked(link: DeviceLink) -> None:
    if link.status != DeviceLink.Status.LINKED:
        link.status = DeviceLink.Status.LINKED
        link.linked_at = timezone.now()
        link.error_code = link.error_message = ""
        link.error_at = None
        link.save(
            update_fields=["status", "linked_at", "error_code", "error_message", "error_at", "updated_at"]
        )


def _record_error(link: DeviceLink, code: str, message: str, *, status: str | None = None) -> None:
    link.error_code, link.error_message, link.error_at = code[:60], message, timezone.now()
    fields = ["error_code", "error_message", "error_at", "updated_at"]
    if status:
        link.status = status
        fields.append("status")
    link.save(update_fields=fields)


# ------------------------------------------------------------------------------------------ linking


@dataclass
class LinkStart:
    link: DeviceLink
    link_url: str | None  # where to send the household (None when nothing is left to do)


def link_create(
    *,
    organization: Organization,
    dossier: Dossier,
    provider: str,
    scopes: list[str] | None = None,
    pod: str | None = None,
    account_number: str | None = None,
    company_code: str | None = None,
) -> LinkStart:
    """Create a link and start the vendor's flow. Enode: a Link UI session; Enphase: an OAuth
    authorization URL with a single-use state; POD: the supply point is registered at once."""
    if dossier.organization_id != organization.pk:
        raise NotFound("Dossier not found.")
    if provider not in Provider.values:
        raise DeviceLinkError(f"Unknown provider {provider!r}.", errors={"provider": ["Unknown provider."]})
    if provider == Provider.POD:
        try:
            pod = validate_pod(pod or "")
        except VendorInputError as exc:
            message = gettext(exc.template) % exc.params if exc.params else gettext(exc.template)
            raise DeviceLinkError(message, code="invalid_pod", errors={"pod": [message]}) from None
        if not (account_number or "").strip() or not (company_code or "").strip():
            raise DeviceLinkError(
                gettext("accountNumber and companyCode are required for a POD link."),
                errors={
                    k: ["Required."]
                    for k, v in (("accountNumber", account_number), ("companyCode", company_code))
                    if not (v or "").strip()
                },
            )
    link = DeviceLink.objects.create(
        organization=organization,
        dossier=dossier,
        provider=provider,
        scopes=list(scopes or (ENODE_DEFAULT_SCOPES if provider == Provider.ENODE else [])),
    )
    try:
        if provider == Provider.ENODE:
            return LinkStart(link, _start_enode(link))
        if provider == Provider.ENPHASE:
            return LinkStart(link, _start_enphase(link))
        _start_pod(link, pod=pod, account_number=account_number.strip(), company_code=company_code.strip())
        return LinkStart(link, None)
    except VendorError as exc:
        link.delete()
        raise vendor_app_error(exc) from None
    except AppError:  # e.g. the vendor is not configured on this server
        link.delete()
        raise


def link_restart(*, link: DeviceLink) -> LinkStart:
    """A fresh Link UI session / authorization URL for an existing link (lost URL, expired or refused
    grant, revoked link). POD links have nothing to restart."""
    if link.provider != Provider.POD and link.status in (DeviceLink.Status.REVOKED, DeviceLink.Status.ERROR):
        link.status = DeviceLink.Status.PENDING
        link.save(update_fields=["status", "updated_at"])
    try:
        if link.provider == Provider.ENODE:
            return LinkStart(link, _start_enode(link))
        if link.provider == Provider.ENPHASE:
            return LinkStart(link, _start_enphase(link))
    except VendorError as exc:
        raise vendor_app_error(exc) from None
    raise DeviceLinkError(
        "POD links are registered directly; there is nothing to restart.", code="not_restartable"
    )


def _start_enode(link: DeviceLink) -> str:
    link.vendor_user_id = link.pk
    link.save(update_fields=["vendor_user_id", "updated_at"])
    with vendors.enode_client() as client:
        session = client.create_link_session(
            link.vendor_user_id, scopes=link.scopes, redirect_uri=vendors.enode_redirect_uri(link)
        )
    return session.link_url


def _start_enphase(link: DeviceLink) -> str:
    state = f"{link.pk}.{new_oauth_state()}"
    link.oauth_state_encrypted = crypto.encrypt_text(state)
    link.oauth_state_expires_at = timezone.now() + OAUTH_STATE_TTL
    link.save(update_fields=["oauth_state_encrypted", "oauth_state_expires_at", "updated_at"])
    with vendors.enphase_client(link) as client:
        return client.authorization_url(state)


def _start_pod(link: DeviceLink, *, pod: str, account_number: str, company_code: str) -> None:
    with vendors.pod_client() as client:
        client.register_pod(pod, account_number=account_number, company_code=company_code)
    link.vendor_user_id = account_number
    link.settings = {"pod": pod, "companyCode": company_code}
    link.save(update_fields=["vendor_user_id", "settings", "updated_at"])
    _upsert_assets(
        link,
        [
            AssetFact(
                kind="meter",
                vendor=Provider.POD,
                vendor_id=pod,
                name=f"POD {pod}",
                extra={"account": account_number},
            )
        ],
    )
    _mark_linked(link)


def link_enode_refresh_assets(*, link: DeviceLink) -> DeviceLink:
    """Ask Enode which assets the household linked; any asset makes the link ``linked``."""
    if link.provider != Provider.ENODE or link.status == DeviceLink.Status.REVOKED:
        return link
    try:
        with vendors.enode_client() as client:
            facts = client.list_all_assets(user_id=link.vendor_user_id)
    except VendorError as exc:
        raise vendor_app_error(exc) from None
    with transaction.atomic():
        _upsert_assets(link, facts)
        if facts:
            _mark_linked(link)
    return link


def link_enphase_callback(*, state: str | None, code: str | None, error: str | None = None) -> DeviceLink:
    """The OAuth redirect: the state must be the one issued for this link (single use, 30 min)."""
    link_id = (state or "").split(".", 1)[0]
    link = DeviceLink.objects.filter(pk=link_id, provider=Provider.ENPHASE).first() if link_id else None
    if link is None or not link.oauth_state_encrypted:
        raise DeviceLinkError(
            "Unknown or already used authorization state; start linking again.", code="invalid_oauth_state"
        )
    expected = crypto.decrypt_text(link.oauth_state_encrypted)
    try:
        check_oauth_state(state, expected)
    except OAuthStateError as exc:
        raise vendor_app_error(exc) from None
    if link.oauth_state_expires_at and link.oauth_state_expires_at < timezone.now():
        raise DeviceLinkError(
            "The authorization request expired; start linking again.", code="oauth_state_expired"
        )
    claimed = DeviceLink.objects.filter(pk=link.pk, oauth_state_encrypted=link.oauth_state_encrypted).update(
        oauth_state_encrypted="", oauth_state_expires_at=None
    )
    if not claimed:
        raise DeviceLinkError(
            "This authorization was already used; start linking again.", code="invalid_oauth_state"
        )
    link.oauth_state_encrypted = ""
    if error or not code:
        _record_error(
            link,
            "authorization_denied",
            f"The household did not grant access ({(error or 'no code')[:60]}).",
            status=DeviceLink.Status.ERROR,
        )
        raise DeviceLinkError("Access was not granted; the link was not made.", code="authorization_denied")
    try:
        with vendors.enphase_client(link) as client:
            client.exchange_code(code, state=state, expected_state=expected)
            facts = client.list_systems()
    except VendorError as exc:
        _record_error(link, "authorization_failed", str(exc), status=DeviceLink.Status.ERROR)
        raise vendor_app_error(exc) from None
    with transaction.atomic():
        _upsert_assets(link, facts)
        _mark_linked(link)
    return link


# ------------------------------------------------------------------------------------------ unlinking


def _unlink_at_vendor(link: DeviceLink) -> None:
    if link.provider == Provider.ENODE and link.vendor_user_id:
        try:
            with vendors.enode_client() as client:
                client.delete_user(link.vendor_user_id)
        except VendorRequestError as exc:
            if exc.status != 404:  # 404: nothing linked there (any more)
                raise vendor_app_error(exc) from None
        except VendorError as exc:
            raise vendor_app_error(exc) from None
    # Enphase: the grant lives only in our token (dropped below); Enlighten has no revoke endpoint.
    # POD: the registration carries no household grant.


@transaction.atomic
def _drop_secrets(link: DeviceLink, *, status: str | None = None) -> None:
    link.token_encrypted = ""
    link.oauth_state_encrypted = ""
    link.oauth_state_expires_at = None
    fields = ["token_encrypted", "oauth_state_encrypted", "oauth_state_expires_at", "updated_at"]
    if status:
        link.status = status
        fields.append("status")
    link.save(update_fields=fields)


def link_revoke(*, link: DeviceLink) -> DeviceLink:
    """Unlink at the vendor and forget the tokens, keeping the link and its readings (status revoked)."""
    _unlink_at_vendor(link)
    _drop_secrets(link, status=DeviceLink.Status.REVOKED)
    return link


def link_delete(*, link: DeviceLink) -> None:
    """Unlink at the vendor, then delete the link with its tokens, assets and readings."""
    _unlink_at_vendor(link)
    with transaction.atomic():
        _drop_secrets(link)
        link.delete()


# ------------------------------------------------------------------------------------------- syncing


CONSUMPTION_UNAVAILABLE = "consumptionUnavailable"  # Asset.facts key: why no consumption is synced


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
        if link.provider == Provider.ENODE:
            _sync_enode(link, now, result)
        elif link.provider == Provider.ENPHASE:
            _sync_enphase(link, now, result)
        else:
            _sync_pod(link, now, result)
        result.status = DeviceLink.SyncStatus.OK
    except SyncBudgetSpent:
        result.status, result.resume = DeviceLink.SyncStatus.PARTIAL, True
    except VendorAuthError as exc:
        result.status, result.error = DeviceLink.SyncStatus.FAILED, str(exc)
        _record_error(link, "vendor_auth_failed", str(exc), status=DeviceLink.Status.ERROR)
    except (VendorUnavailable, VendorRateLimited) as exc:
        result.status = (
            DeviceLink.SyncStatus.PARTIAL if result.readings_written else DeviceLink.SyncStatus.FAILED
        )
        result.error, result.retryable = str(exc), True
        result.retry_after = getattr(exc, "retry_after", None)
        _record_error(link, "vendor_unavailable", str(exc))
    except VendorError as exc:
        result.status, result.error = DeviceLink.SyncStatus.FAILED, str(exc)
        _record_error(link, "vendor_error", str(exc))
    finally:
        fields = {"sync_started_at": None, "sync_status": result.status}
        if result.status == DeviceLink.SyncStatus.OK:
            fields.update(last_sync_at=timezone.now(), error_code="", error_message="", error_at=None)
        DeviceLink.objects.filter(pk=link_id).update(**fields)
    link.refresh_from_db()
    if result.status == DeviceLink.SyncStatus.OK:
        _update_measured(link, now)
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


def _sync_days(link, asset, now, result, fetch) -> None:
    """Fetch ``fetch(first_day, last_day) -> {kind: Series}`` window by window and store each."""
    today = now.astimezone(LOCAL_TZ).date()
    for first, last in _day_windows(asset, today):
        _check_budget()
        started = time.monotonic()
        series = fetch(first, last)
        _budget.last_chunk_s, _budget.chunks = time.monotonic() - started, getattr(_budget, "chunks", 0) + 1
        # the cursor never passes the start of today: today is incomplete and re-read next time
        through = min(_local_midnight(last + dt.timedelta(days=1)), _local_midnight(today))
        result.readings_written += _store_chunk(link, asset, series, through)
    result.assets.append(asset.pk)


def _sync_enode(link: DeviceLink, now: dt.datetime, result: SyncResult) -> None:
    with vendors.enode_client() as client:
        facts = client.list_all_assets(user_id=link.vendor_user_id)
        _upsert_assets(link, facts)
        if facts:
            _mark_linked(link)
        for asset in link.assets.filter(kind__in=[Asset.Kind.INVERTER, Asset.Kind.HEM_SYSTEM]):
            if asset.kind == Asset.Kind.INVERTER:

                def fetch(first, last, asset=asset):
                    return {
                        Reading.Kind.PRODUCTION: client.get_inverter_production(asset.vendor_id, first, last)
                    }

            else:

                def fetch(first, last, asset=asset):
                    energy = client.get_hem_energy(asset.vendor_id, first, last)
                    return {HEM_KINDS[name]: s for name, s in energy.items() if name in HEM_KINDS}

            _sync_days(link, asset, now, result, fetch)


def _sync_enphase(link: DeviceLink, now: dt.datetime, result: SyncResult) -> None:
    if not link.has_token:
        raise VendorAuthError("no Enlighten authorization stored; link the system again", vendor="enphase")
    with vendors.enphase_client(link) as client:
        _upsert_assets(link, client.list_systems())
        for asset in link.assets.filter(kind=Asset.Kind.INVERTER):

            def fetch(first, last, asset=asset):
                start = _local_midnight(first)
                end = min(_local_midnight(last + dt.timedelta(days=1)), now)
                out = {Reading.Kind.PRODUCTION: client.get_production_hourly(asset.vendor_id, start, end)}
                if asset.facts.get(CONSUMPTION_UNAVAILABLE):
                    return out
                try:
                    consumption = client.get_consumption_hourly(asset.vendor_id, start, end)
                except VendorAuthError as exc:
                    if exc.status != 401:
                        raise
                    # The document: 401 on consumption_stats without the consumption permission. The
                    # production stays; consumption is marked unavailable (a relink cannot grant it).
                    asset.facts = {**asset.facts, CONSUMPTION_UNAVAILABLE: str(exc)[:300]}
                    Asset.objects.filter(pk=asset.pk).update(facts=asset.facts)
                    return out
                if len(consumption):
                    out[Reading.Kind.CONSUMPTION] = consumption
                return out

            _sync_days(link, asset, now, result, fetch)


def _sync_pod(link: DeviceLink, now: dt.datetime, result: SyncResult) -> None:
    """POD's API offers hourly consumption for last month and this month only."""
    with vendors.pod_client() as client:
        for asset in link.assets.filter(kind=Asset.Kind.METER):
            for period in ("last-month", "this-month"):
                frame = client.consumption_hourly(link.vendor_user_id, period)
                series = frame["total"] if "total" in frame else pd.Series(dtype=float)
                result.readings_written += _store_chunk(
                    link,
                    asset,
                    {Reading.Kind.CONSUMPTION: series},
                    now.replace(minute=0, second=0, microsecond=0),
                )
            result.assets.append(asset.pk)


def _update_measured(link: DeviceLink, now: dt.datetime) -> None:
    """Totals over the last 365 days of readings, per asset and for the link."""
    last = link.readings.order_by("-hour").values_list("hour", flat=True).first()
    if last is None:
        return
    start = last + dt.timedelta(hours=1) - YEAR
    rows = (
        link.readings.filter(hour__gte=start)
        .values("asset_id", "asset__kind", "kind")
        .annotate(total=Sum("kwh"), hours=Count("id"))
    )
    per_asset: dict[str, dict] = {}
    per_kind: dict[str, dict[str, float]] = {}
    for row in rows:
        per_asset.setdefault(row["asset_id"], {})[row["kind"]] = round(row["total"], 3)
        per_kind.setdefault(row["kind"], {}).setdefault(row["asset__kind"], 0.0)
        per_kind[row["kind"]][row["asset__kind"]] += row["total"]
    with transaction.atomic():
        for asset in link.assets.all():
            measured = per_asset.get(asset.pk, {})
            if measured != asset.measured_kwh:
                Asset.objects.filter(pk=asset.pk).update(measured_kwh=measured)

        def total(kind: str, prefer: tuple[str, ...]) -> float | None:
            by_asset_kind = per_kind.get(kind)
            if not by_asset_kind:
                return None
            for asset_kind in prefer:  # one source per quantity: never add an inverter to its HEM system
                if asset_kind in by_asset_kind:
                    return round(by_asset_kind[asset_kind], 3)
            return round(sum(by_asset_kind.values()), 3)

        DeviceLink.objects.filter(pk=link.pk).update(
            measured_production_kwh=total(
                Reading.Kind.PRODUCTION, (Asset.Kind.INVERTER, Asset.Kind.HEM_SYSTEM)
            ),
            measured_consumption_kwh=total(
                Reading.Kind.CONSUMPTION, (Asset.Kind.HEM_SYSTEM, Asset.Kind.METER, Asset.Kind.INVERTER)
            ),
            measured_grid_import_kwh=total(
                Reading.Kind.GRID_IMPORT, (Asset.Kind.HEM_SYSTEM, Asset.Kind.METER)
            ),
            measured_grid_export_kwh=total(
                Reading.Kind.GRID_EXPORT, (Asset.Kind.HEM_SYSTEM, Asset.Kind.METER)
            ),
            measured_period_start=link.readings.filter(hour__gte=start)
            .order_by("hour")
            .values_list("hour", flat=True)
            .first(),
            measured_period_end=last + dt.timedelta(hours=1),
        )
    link.refresh_from_db()


# ------------------------------------------------------------------------------------------ webhooks


@dataclass
class WebhookOutcome:
    received: int = 0
    processed: int = 0
    duplicates: int = 0


class InvalidSignature(AppError):
    status = 401
    code = "invalid_signature"
    title = "Invalid webhook signature"


def _event_id(raw: dict) -> str:
    explicit = raw.get("id") or raw.get("eventId")
    if explicit:
        return str(explicit)[:128]
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def enode_webhook_receive(*, body: bytes, signature: str | None) -> WebhookOutcome:
    """Verify, deduplicate and apply an Enode delivery. Each event is applied with its delivery record
    in one transaction, so a replayed event changes nothing and a failed one is applied on redelivery."""
    if not verify_webhook_signature(vendors.enode_webhook_secret(), body, signature):
        raise InvalidSignature("The X-Enode-Signature header does not match the body.")
    try:
        events = parse_webhook_events(body)
    except VendorResponseError as exc:
        raise DeviceLinkError(str(exc), code="invalid_webhook_body") from None
    outcome = WebhookOutcome(received=len(events))
    for event in events:
        event_id = _event_id(dict(event.raw))
        link = (
            DeviceLink.objects.filter(provider=Provider.ENODE, vendor_user_id=event.user_id).first()
            if event.user_id
            else None
        )
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    provider=Provider.ENODE, event_id=event_id, event=event.event[:120], link=link
                )
                if link is not None and link.status != DeviceLink.Status.REVOKED:
                    _apply_enode_event(link, event)
        except IntegrityError:
            outcome.duplicates += 1
            continue
        outcome.processed += 1
    return outcome


def _apply_enode_event(link: DeviceLink, event) -> None:
    if event.asset is None:
        return
    if event.action == "deleted":
        Asset.objects.filter(link=link, kind=event.asset.kind, vendor_id=event.asset.vendor_id).delete()
        return
    (asset,) = _upsert_assets(link, [event.asset])
    _mark_linked(link)
    if (
        event.action == "statistics-updated"
        and event.statistics_kwh is not None
        and len(event.statistics_kwh)
    ):
        kind = Reading.Kind.PRODUCTION if asset.kind == Asset.Kind.INVERTER else Reading.Kind.CONSUMPTION
        rows = [
            Reading(link=link, asset=asset, kind=kind, hour=hour.to_pydatetime(), kwh=round(float(kwh), 6))
            for hour, kwh in event.statistics_kwh.dropna().items()
        ]
        Reading.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["link", "asset", "kind", "hour"],
            update_fields=["kwh"],
        )


# ------------------------------------------------------------------------------------------- studio


def _hourly(link: DeviceLink, kind: str, asset_kinds: tuple[str, ...]) -> pd.Series | None:
    for asset_kind in asset_kinds:
        rows = list(
            link.readings.filter(kind=kind, asset__kind=asset_kind)
            .values_list("hour", "kwh")
            .order_by("hour")
        )
        if rows:
            hours, values = zip(*rows, strict=True)
            series = pd.Series(values, index=pd.DatetimeIndex(hours).tz_convert("UTC"), dtype=float)
            return series.groupby(level=0).sum()
    return None


def link_measured_flows(link: DeviceLink) -> tuple[pd.Series, pd.Series | None]:
    """Grid import and export per UTC hour [kWh] as a meter would measure them.

    HEM systems/meters report both directions. With only production and gross consumption (Enphase
    with a consumption CT), the hourly net is used: import = max(C − P, 0), export = max(P − C, 0)
    (within-hour netting, like a Dutch meter read hourly). With consumption only (POD), there is no export.
    """
    grid_import = _hourly(link, Reading.Kind.GRID_IMPORT, (Asset.Kind.HEM_SYSTEM, Asset.Kind.METER))
    if grid_import is not None:
        return grid_import, _hourly(link, Reading.Kind.GRID_EXPORT, (Asset.Kind.HEM_SYSTEM, Asset.Kind.METER))
    consumption = _hourly(
        link, Reading.Kind.CONSUMPTION, (Asset.Kind.HEM_SYSTEM, Asset.Kind.METER, Asset.Kind.INVERTER)
    )
    if consumption is None:
        raise DeviceLinkError(
            "This link has no measured consumption yet (sync it first, or link a meter).",
            code="no_measured_consumption",
        )
    production = _hourly(link, Reading.Kind.PRODUCTION, (Asset.Kind.INVERTER, Asset.Kind.HEM_SYSTEM))
    if production is None:
        return consumption, None
    production = production.reindex(consumption.index)
    net = consumption - production.fillna(0.0)
    return net.clip(lower=0.0), (-net).clip(lower=0.0)


def to_reference_year(grid_import: pd.Series, grid_export: pd.Series | None):
    """Map hourly UTC series onto the engine's 8760-hour year (UTC+1) with the studio meter-file rules
    (most recent 365 days, gaps filled, a partial year completed). Returns a ``ParsedMeterFile``."""
    from apps.studio.meterfiles import MeterFileError, MeterSeries
    from apps.studio.meterfiles import to_reference_year as place_on_year
    from apps.studio.meterfiles.constants import STANDARD_TIME
    from apps.studio.meterfiles.timebase import fill_gaps

    measured_days = grid_import.dropna().index.normalize().nunique()
    if measured_days < MIN_STUDIO_DAYS:
        raise DeviceLinkError(
            f"Only {measured_days} day(s) of measurements are synced; at least {MIN_STUDIO_DAYS} are needed "
            "to estimate a year (sync again once more history is available).",
            code="not_enough_measured_data",
        )
    end = grid_import.index.max() + pd.Timedelta(hours=1)
    start = max(grid_import.index.min(), end - pd.Timedelta(days=365))
    index = pd.date_range(start, end, freq="h", inclusive="left", tz="UTC")
    imp = grid_import.reindex(index).to_numpy(dtype=float)
    exp = None if grid_export is None else grid_export.reindex(index).to_numpy(dtype=float)
    missing = np.isnan(imp) if exp is None else (np.isnan(imp) | np.isnan(exp))
    t0 = int(index[0].timestamp())
    series = MeterSeries(
        format="device-link",
        resolution_minutes=60,
        start=index[0].to_pydatetime().astimezone(STANDARD_TIME),
        import_kwh=fill_gaps(imp, 3600, t0, None),
        export_kwh=None if exp is None else fill_gaps(exp, 3600, t0, None),
        estimated=missing,
        measured_import_kwh=np.nan_to_num(imp),
        measured_export_kwh=None if exp is None else np.nan_to_num(exp),
        source_total_import_kwh=float(np.nansum(imp)),
        source_total_export_kwh=None if exp is None else float(np.nansum(exp)),
    )
    try:
        return place_on_year(series)
    except MeterFileError as exc:
        raise DeviceLinkError(exc.message, code="not_enough_measured_data") from exc


def production_on_year(link: DeviceLink, grid_import: pd.Series) -> np.ndarray | None:
    """The link's measured production [kWh per hour] on the same reference-year window as its grid import,
    or None: no inverter production, or not a complete year of it (a seasonal completion of PV from a few
    weeks would be a guess; the profile's solar layer then describes the panels)."""
    production = _hourly(link, Reading.Kind.PRODUCTION, (Asset.Kind.INVERTER, Asset.Kind.HEM_SYSTEM))
    if production is None:
        return None
    parsed = to_reference_year(production.reindex(grid_import.index), None)
    if parsed.completed_hours > 0:
        return None
    return parsed.consumption_kwh


def studio_profile_from_link(*, link: DeviceLink, profile=None, user=None):
    """Make (or update) a studio profile whose base is this link's measured grid import and export, and
    its inverter's measured production when it covers the whole year (it then replaces the solar layer's
    simulation in the gross-consumption reconstruction).

    The profile's layers are kept. Returns the profile; the link remembers it so later syncs update it.
    """
    from apps.studio import services as studio
    from apps.studio.layers.common import unpack

    grid_import, grid_export = link_measured_flows(link)
    parsed = to_reference_year(grid_import, grid_export)
    production = production_on_year(link, grid_import) if grid_export is not None else None
    dossier = link.dossier
    with transaction.atomic():
        if profile is None:
            profile = studio.profile_create(
                organization=link.organization,
                user=user,
                name=f"{dossier.customer_name} — gemeten ({link.get_provider_display()})"[:200],
                lat=dossier.latitude,
                lon=dossier.longitude,
            )
        elif profile.organization_id != link.organization_id:
            raise NotFound("Studio profile not found.")
        layers = [
            {
                "id": layer.pk,
                "type": layer.kind,
                "name": layer.name,
                "enabled": layer.enabled,
                "config": {**layer.config, "icon": layer.icon, "color": layer.color},
                "data": None if layer.data is None else unpack(layer.data).tolist(),
            }
            for layer in profile.layers.order_by("position")
        ]
        base = {
            "type": "upload",
            "name": f"Gemeten via {link.get_provider_display()}",
            "description": (
                f"Gemeten netafname/teruglevering van koppeling {link.pk}: "
                f"{parsed.period_start:%Y-%m-%d} – {parsed.period_end:%Y-%m-%d} (UTC+1)"
            ),
            "annual_kwh": round(parsed.total_consumption_kwh, 3),
            "data": parsed.consumption_kwh,
            "export_data": parsed.export_kwh,
            "production_data": production,
        }
        profile = studio.profile_save_state(
            profile=profile, studio_state={"base_profile": base, "layers": layers}
        )
        if link.studio_profile_id != profile.pk:
            link.studio_profile = profile
            link.save(update_fields=["studio_profile", "updated_at"])
    return profile
