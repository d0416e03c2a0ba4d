"""Writes for scans: create (quota, idempotency, adjustments), run (claim → engine → report), share, delete,
sweep. Jobs and views call these; nothing else changes a scan."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from dramatiq.middleware.time_limit import TimeLimitExceeded

from apps.common.casing import to_camel
from apps.common.errors import AppError, Conflict, PaymentRequired, QuotaExceeded
from apps.common.ids import new_token
from apps.common.models import OutboxMessage
from apps.common.outbox import outbox_enqueue
from apps.engine import defaults as engine_defaults
from apps.organizations.models import Organization
from apps.organizations.webhooks import webhook_emit
from apps.scans import capacity_peak, measured
from apps.scans import report as report_builder
from apps.scans.engine_inputs import build_engine_inputs
from apps.scans.models import (
    IdempotencyRecord,
    RevokedShareLink,
    Scan,
    ScanSeries,
    ScanUsage,
    WeatherCacheEntry,
    share_token_digest,
)
from apps.scans.studio_link import studio_load

log = logging.getLogger(__name__)

IDEMPOTENCY_WINDOW = timedelta(hours=24)
MAX_ATTEMPTS = 3  # transient failures (network, database hiccup) are tried this often in all
# The run_scan job's time limit (setting SCAN_TIME_LIMIT_S, default 5 min); the sweep's limits follow from it.
SCAN_TIME_LIMIT = timedelta(seconds=settings.SCAN_TIME_LIMIT_S)
# Running this long, no live worker still has it (its time limit, checked every second, would have stopped it
# and recorded the failure): the worker died.
STUCK_RUNNING_AFTER = SCAN_TIME_LIMIT + timedelta(seconds=30)
INTERRUPTED_RETRIES = 1  # a scan whose worker died is run once more before it is failed
# Queued (job sent) this long without a worker claiming it: the message is taken for lost (a broker restarted
# without persistence) and sent again; after RUN_JOB_SENDS sends the scan is failed.
STUCK_PROCESSING_AFTER = 3 * SCAN_TIME_LIMIT
RUN_JOB_SENDS = 3
RUN_SCAN_ACTOR = "apps.scans.jobs.run_scan"

# Adjustable step (Organization.adjustable_steps) → the input fields it covers (snake_case).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "location": ("location",),
    "consumption": ("input_method", "yearly_kwh", "yearly_export_kwh", "load_profile", "custom_profile_id"),
    "existingPv": ("existing_pv",),
    "newPv": ("new_pv", "include_pv_maintenance_costs", "pv_fixed_cost_eur"),
    "battery": ("electric_battery", "include_battery_maintenance_costs"),
    "tariff": ("tariff",),
    "goal": ("goal", "renewable_electricity_min_fraction"),
    "analysisYears": ("analysis_years",),
}
CONSUMPTION_FIELDS = STEP_FIELDS["consumption"]
# Engine parameters not in the API body, stored with the inputs so a scan can be reproduced exactly.
ENGINE_PARAMETERS = {
    "discount_rate": engine_defaults.DEFAULT_DISCOUNT_RATE,
    "price_escalation": engine_defaults.DEFAULT_PRICE_ESCALATION,
    "first_operating_year": engine_defaults.DEFAULT_FIRST_OPERATING_YEAR,
}
REFERENCE_FIELDS = ("copied_from_id", "dossier_id")
# Resolved at creation from what was measured (not sent by the client); an adjustment resolves them anew.
DERIVED_FIELDS = ("weather_source", measured.KEY, capacity_peak.KEY)


class TransientScanError(Exception):
    """Raised by scan_run for a failure worth retrying (the actor lets Dramatiq retry the message)."""


def request_hash(data) -> str:
    """A stable hash of a request body (key order does not matter)."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


# --- adjustments ----------------------------------------------------------------------------------------


def adjustment_root(*, organization: Organization, copied_from_id: str) -> Scan:
    """The root original of `copied_from_id` (an adjustment of an adjustment resolves to its root); it must
    be a completed scan of the same organization. 400 naming copiedFromId otherwise."""
    parent = Scan.objects.for_organization(organization).filter(pk=copied_from_id).first()
    if parent is None:
        raise AppError(
            "copiedFromId: no scan with this id in your organization.",
            errors={"copiedFromId": ["No scan with this id in your organization."]},
        )
    seen = set()
    while parent.copied_from_id and parent.copied_from_id not in seen:
        seen.add(parent.pk)
        grand = Scan.objects.for_organization(organization).filter(pk=parent.copied_from_id).first()
        if grand is None:
            break
        parent = grand
    if parent.status != Scan.Status.COMPLETED:
        raise AppError(
            "copiedFromId: only a completed scan can be adjusted.",
            errors={
                "copiedFromId": [
                    f"The original scan is {parent.public_status}; only completed scans can be adjusted."
                ]
            },
        )
    return parent


def adjustment_body(*, root: Scan, data: dict) -> dict:
    """The body to validate for an adjustment: the root's inputs overlaid with what the request gives, so a
    client sends only what changes. A request that names inputMethod replaces the consumption fields."""
    base = {k: v for k, v in root.inputs.items() if k not in ENGINE_PARAMETERS and k not in DERIVED_FIELDS}
    if "input_method" in data:
        for name in CONSUMPTION_FIELDS:
            base.pop(name, None)
    return {**base, **data}


def adjustment_check(*, organization: Organization, root: Scan, inputs: dict) -> None:
    """Only fields of the organization's adjustable steps may differ from the root. 400 naming each other."""
    allowed_steps = set(organization.adjustable_steps or [])
    allowed = {name for step in allowed_steps for name in STEP_FIELDS.get(step, ())}
    errors = {}
    for name in (
        {*inputs, *root.inputs} - set(REFERENCE_FIELDS) - set(ENGINE_PARAMETERS) - set(DERIVED_FIELDS)
    ):
        if name not in allowed and inputs.get(name) != root.inputs.get(name):
            steps = ", ".join(sorted(allowed_steps)) or "none"
            errors[to_camel(name)] = [
                f"May not differ from the original scan in an adjustment (adjustable steps: {steps})."
            ]
    if errors:
        raise AppError("This adjustment changes inputs that may not be adjusted.", errors=errors)


# --- create ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedScan:
    scan: Scan
    created: bool  # False: an idempotent replay answered with the earlier scan


def _month(now) -> str:
    return timezone.localtime(now).strftime("%Y-%m")


def _count_quota(organization: Organization, now) -> None:
    """Count one scan against a free organization's monthly quota. Call with the organization row locked."""
    if organization.is_paid:
        return
    month = _month(now)
    usage, _ = ScanUsage.objects.get_or_create(organization=organization, month=month)
    if usage.count >= organization.monthly_scan_quota:
        raise QuotaExceeded(
            f"The free plan includes {organization.monthly_scan_quota} scans per month and {usage.count} "
            f"have been used in {month}. Adjustments of completed scans stay free; upgrade to the paid plan "
            "for unlimited scans."
        )
    ScanUsage.objects.filter(pk=usage.pk).update(count=F("count") + 1)


def _enqueue(scan_id: str) -> None:
    """Queue run_scan with the current transaction (outbox): sent after commit, or once the broker is back."""
    outbox_enqueue(RUN_SCAN_ACTOR, scan_id)


@transaction.atomic
def scan_create(
    *,
    organization: Organization | None,
    inputs: dict,
    dossier=None,
    copied_from: Scan | None = None,
    idempotency_key: str | None = None,
    body_hash: str | None = None,
) -> CreatedScan:
    """Save a scan (status processing), count quota (not for adjustments), enqueue `run_scan` after commit.

    Race safety: the organization row is locked (SELECT … FOR UPDATE) for the rest of the transaction, so
    concurrent creates of one organization serialize on quota and idempotency checks.
    """
    now = timezone.now()
    if organization is not None:
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
    record = None
    if idempotency_key and organization is not None:
        record = IdempotencyRecord.objects.for_organization(organization).filter(key=idempotency_key).first()
        if record is not None and record.created_at < now - IDEMPOTENCY_WINDOW:
            record.delete()
            record = None
        if record is not None:
            if record.request_hash != body_hash:
                raise Conflict(
                    "This Idempotency-Key was already used with a different request body; use a new key.",
                    code="idempotency_key_reused",
                )
            if record.scan_id is not None:
                return CreatedScan(Scan.objects.get(pk=record.scan_id), created=False)
    if copied_from is None and organization is not None:
        _count_quota(organization, now)
    resolved = {**inputs, **ENGINE_PARAMETERS, "weather_source": weather_source()}
    for name in REFERENCE_FIELDS:
        resolved.pop(name, None)
    scan_dossier = dossier if dossier is not None else (copied_from.dossier if copied_from else None)
    measured_production = measured.resolve(
        organization=organization, dossier_id=scan_dossier.pk if scan_dossier else None, inputs=resolved
    )
    if measured_production is not None:  # what a linked inverter measured, stored so a rerun is the same
        resolved[measured.KEY] = measured_production
    measured_peaks = capacity_peak.resolve(organization=organization, inputs=resolved)
    if measured_peaks is not None:  # the meter's own quarter-hour peak factor, likewise
        resolved[capacity_peak.KEY] = measured_peaks
    scan = Scan.objects.create(
        organization=organization,
        dossier=dossier if dossier is not None else (copied_from.dossier if copied_from else None),
        copied_from=copied_from,
        inputs=resolved,
        goal=resolved["goal"],
        engine_version=engine_defaults.ENGINE_VERSION,
        counts_toward_quota=copied_from is None,
    )
    if idempotency_key and organization is not None:
        try:
            with transaction.atomic():
                if record is not None:
                    IdempotencyRecord.objects.filter(pk=record.pk).update(scan=scan)
                else:
                    IdempotencyRecord.objects.create(
                        organization=organization, key=idempotency_key, request_hash=body_hash, scan=scan
                    )
        except IntegrityError as exc:  # only without the row lock (never for organizations)
            raise Conflict("A request with this Idempotency-Key is in progress; retry shortly.") from exc
    _enqueue(scan.id)
    return CreatedScan(scan, created=True)


# --- run ------------------------------------------------------------------------------------------------


def scan_claim(*, scan_id: str) -> bool:
    """processing → running, atomically. False when another worker (or an earlier delivery) has it."""
    return bool(
        Scan.objects.filter(pk=scan_id, status=Scan.Status.PROCESSING).update(
            status=Scan.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def _event_data(scan: Scan) -> dict:
    return {
        "scanId": scan.id,
        "status": scan.public_status,
        "dossierId": scan.dossier_id,
        "createdAt": scan.created_at.isoformat(),
        "isAdjustment": scan.is_adjustment,
    }


def scan_fail(*, scan_id: str, message: str, from_status: str = Scan.Status.RUNNING) -> bool:
    """→ error with an actionable message and a scan.failed webhook (only from `from_status`)."""
    with transaction.atomic():
        changed = Scan.objects.filter(pk=scan_id, status=from_status).update(
            status=Scan.Status.ERROR, error_message=message[:2000], finished_at=timezone.now()
        )
        if changed:
            scan = Scan.objects.select_related("organization").get(pk=scan_id)
            webhook_emit(
                organization=scan.organization,
                event_type="scan.failed",
                data={**_event_data(scan), "errorMessage": scan.error_message},
            )
    return bool(changed)


class DatabaseWeatherCache:
    """The engine's WeatherCache hook on the WeatherCacheEntry table."""

    def get(self, key: str):
        entry = WeatherCacheEntry.objects.filter(key=key).only("payload").first()
        return entry.payload if entry else None

    def set(self, key: str, value) -> None:
        WeatherCacheEntry.objects.update_or_create(key=key, defaults={"payload": value})


def weather_source() -> str:
    """Weather source for new scans: "offline" (embedded default) or "pvgis" (setting WEATHER_SOURCE)."""
    return getattr(settings, "WEATHER_SOURCE", engine_defaults.DEFAULT_WEATHER_SOURCE)


def _run_engine(engine_inputs, source: str = engine_defaults.DEFAULT_WEATHER_SOURCE):
    """The engine call (one place, so tests can observe it)."""
    from apps.engine.api import run_scan as engine_run_scan
    from apps.engine.weather import get_provider

    return engine_run_scan(engine_inputs, weather_provider=get_provider(source, cache=DatabaseWeatherCache()))


def _transient(exc: BaseException) -> bool:
    import httpx
    from django.db import InterfaceError, OperationalError

    return isinstance(
        exc, httpx.TransportError | ConnectionError | TimeoutError | OperationalError | InterfaceError
    )


def _solver_error(exc: BaseException) -> bool:
    return type(exc).__name__ in ("SolverError", "DCPError", "DGPError")


def _explain(exc: BaseException) -> str:
    if isinstance(exc, AppError):
        return exc.detail
    if isinstance(exc, TimeLimitExceeded):
        return (
            "The scan took longer than the time limit and was stopped. Narrow the panel or battery ranges "
            "and submit it again."
        )
    if _solver_error(exc):
        return (
            "The optimiser could not solve this sizing problem (solver failure). Narrow the panel or battery "
            "ranges, or submit the scan again."
        )
    if isinstance(exc, RuntimeError) and str(exc).startswith("PVGIS"):
        return f"No weather data for this location ({exc}). Check location.lat/lon (on land, within PVGIS coverage)."
    if isinstance(exc, ValueError):
        return f"The inputs could not be simulated: {exc}. Correct the inputs and submit a new scan."
    return "The scan failed because of an internal error; it has been logged. Please submit it again later."


def scan_run(*, scan_id: str) -> str:
    """Compute a claimed scan. Returns "skipped" | "completed" | "error"; raises TransientScanError (status
    back to processing) when a retry may succeed."""
    if not scan_claim(scan_id=scan_id):
        return "skipped"
    scan = Scan.objects.select_related("organization").get(pk=scan_id)
    try:
        studio = None
        if scan.inputs["input_method"] == "studio":
            studio = studio_load(organization=scan.organization, profile_id=scan.inputs["custom_profile_id"])
        engine_inputs = build_engine_inputs(scan.inputs, studio=studio)
        result = _run_engine(engine_inputs, scan.inputs.get("weather_source") or weather_source())
    except (Exception, TimeLimitExceeded) as exc:  # TimeLimitExceeded is a BaseException
        if _transient(exc) and scan.attempts < MAX_ATTEMPTS:
            Scan.objects.filter(pk=scan_id, status=Scan.Status.RUNNING).update(status=Scan.Status.PROCESSING)
            raise TransientScanError(f"scan {scan_id}: {type(exc).__name__}: {exc}") from exc
        if _transient(exc):
            message = f"The scan failed {scan.attempts} times on a temporary problem ({type(exc).__name__}); please submit it again."
        else:
            message = _explain(exc)
            if not isinstance(exc, AppError | ValueError | TimeLimitExceeded) and not _solver_error(exc):
                log.exception("scan %s failed", scan_id)
        scan_fail(scan_id=scan_id, message=message)
        return "error"

    if result.status != "optimal":
        reason = result.reason or "no configuration meets the goal"
        scan_fail(
            scan_id=scan_id,
            message=(
                f"The goal '{result.goal}' cannot be met: {reason}. Lower renewableElectricityMinFraction, "
                "allow more panels (maxPanelCount) or a larger battery, or choose another goal."
            ),
        )
        return "error"
    try:
        return scan_complete(scan_id=scan_id, inputs=scan.inputs, result=result)
    except TimeLimitExceeded as exc:  # the limit struck while the report was assembled
        scan_fail(scan_id=scan_id, message=_explain(exc))
        return "error"
    except Exception:
        log.exception("scan %s: report assembly failed", scan_id)
        scan_fail(scan_id=scan_id, message=_explain(RuntimeError()))
        return "error"


@transaction.atomic
def scan_complete(*, scan_id: str, inputs: dict, result) -> str:
    report = report_builder.build_report(inputs=inputs, result=result)
    names, packed = ScanSeries.pack(report_builder.hourly_series(result))
    charts = report_builder.chart_arrays(result)
    changed = Scan.objects.filter(pk=scan_id, status=Scan.Status.RUNNING).update(
        status=Scan.Status.COMPLETED,
        report=report,
        error_message="",
        engine_version=result.engine_version,
        finished_at=timezone.now(),
        **report_builder.summary(report),
    )
    if not changed:  # swept or deleted meanwhile: leave it
        return "skipped"
    ScanSeries.objects.update_or_create(
        scan_id=scan_id, defaults={"names": names, "hourly": packed, "charts": charts}
    )
    scan = Scan.objects.select_related("organization").get(pk=scan_id)
    webhook_emit(
        organization=scan.organization,
        event_type="scan.completed",
        data={
            **_event_data(scan),
            "selfSufficiency": scan.self_sufficiency,
            "returnPeriod": scan.return_period,
            "co2SavedKg": scan.co2_saved_kg,
        },
    )
    return "completed"


def _sweep_running(now) -> tuple[list[str], list[str]]:
    """Running past the time limit plus a grace: the worker died. Run it once more, then fail it."""
    retried, failed = [], []
    cutoff = now - STUCK_RUNNING_AFTER
    for scan_id, attempts in Scan.objects.filter(
        status=Scan.Status.RUNNING, started_at__lt=cutoff
    ).values_list("id", "attempts"):
        if attempts <= INTERRUPTED_RETRIES:
            with transaction.atomic():
                if Scan.objects.filter(pk=scan_id, status=Scan.Status.RUNNING, started_at__lt=cutoff).update(
                    status=Scan.Status.PROCESSING
                ):
                    _enqueue(scan_id)
                    retried.append(scan_id)
            continue
        message = (
            f"The scan was interrupted {attempts} times (the worker running it stopped) and was not finished. "
            "Please submit it again."
        )
        if scan_fail(scan_id=scan_id, message=message, from_status=Scan.Status.RUNNING):
            failed.append(scan_id)
    return retried, failed


def _sweep_processing(now) -> tuple[list[str], list[str]]:
    """Processing whose job was sent long ago but never claimed: send again, fail after RUN_JOB_SENDS sends.
    A job still in the outbox (broker down) is waiting, not stuck."""
    resent, failed = [], []
    cutoff = now - STUCK_PROCESSING_AFTER
    for scan_id in Scan.objects.filter(status=Scan.Status.PROCESSING, created_at__lt=cutoff).values_list(
        "id", flat=True
    ):
        sends = OutboxMessage.objects.filter(actor_path=RUN_SCAN_ACTOR, key=scan_id)
        if sends.filter(sent_at__isnull=True).exists() or sends.filter(sent_at__gte=cutoff).exists():
            continue
        if sends.count() < RUN_JOB_SENDS:
            with transaction.atomic():
                _enqueue(scan_id)
            resent.append(scan_id)
            continue
        minutes = int(STUCK_PROCESSING_AFTER.total_seconds() // 60)
        message = (
            f"No worker picked the scan up ({RUN_JOB_SENDS} times queued, {minutes} minutes each) and it was "
            "stopped. Please submit it again."
        )
        if scan_fail(scan_id=scan_id, message=message, from_status=Scan.Status.PROCESSING):
            failed.append(scan_id)
    return resent, failed


def scans_sweep_stuck(*, now=None) -> dict[str, list[str]]:
    """Recover scans stuck in running (worker died) or processing (job lost): {"requeued": ids, "failed": ids}."""
    now = now or timezone.now()
    retried, failed_running = _sweep_running(now)
    resent, failed_processing = _sweep_processing(now)
    return {"requeued": retried + resent, "failed": failed_running + failed_processing}


# --- share, view, delete --------------------------------------------------------------------------------


@transaction.atomic
def scan_share(*, scan: Scan) -> Scan:
    """Enable the public link (idempotent: an existing token is kept). Paid plan and completed scans only."""
    if scan.organization is None or not scan.organization.is_paid:
        raise PaymentRequired("Sharing scans needs the paid plan.")
    if scan.status != Scan.Status.COMPLETED:
        raise Conflict(
            f"Only completed scans can be shared; this scan is {scan.public_status}.",
            code="scan_not_completed",
        )
    if not scan.share_token:
        scan.share_token = new_token(32)
        scan.shared_at = timezone.now()
        scan.save(update_fields=["share_token", "shared_at"])
    return scan


@transaction.atomic
def scan_unshare(*, scan: Scan) -> Scan:
    """Withdraw the link; its token is remembered (as a digest) so the homeowner is told it was withdrawn."""
    if scan.share_token:
        RevokedShareLink.objects.get_or_create(token_digest=share_token_digest(scan.share_token), scan=scan)
    scan.share_token = None
    scan.shared_at = None
    scan.save(update_fields=["share_token", "shared_at"])
    return scan


SHARE_VIEW_EVENT_INTERVAL = timedelta(hours=1)


@transaction.atomic
def scan_share_viewed(*, scan: Scan) -> None:
    """The homeowner opened the share link: hasSeenReport, and share.viewed (at most once an hour)."""
    now = timezone.now()
    last = scan.share_last_viewed_at
    Scan.objects.filter(pk=scan.pk).update(has_seen_report=True, share_last_viewed_at=now)
    if last is None or now - last >= SHARE_VIEW_EVENT_INTERVAL:
        webhook_emit(
            organization=scan.organization,
            event_type="share.viewed",
            data={**_event_data(scan), "viewedAt": now.isoformat(), "firstView": last is None},
        )


@transaction.atomic
def scan_delete(*, scan: Scan) -> None:
    scan.delete()
