"""Monitoring writes: the installed design, the monthly figures, and the alert's life cycle.

``performance_refresh`` is idempotent: it rewrites the dossier's months from the design and the stored
readings, and moves the alert only when the finding changes (raised → updated → cleared), so a refresh
after every device sync sends a webhook and an e-mail once per raise and once per clearing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.common.errors import AppError
from apps.common.outbox import outbox_enqueue
from apps.dossiers.models import Dossier
from apps.monitoring import selectors
from apps.monitoring.expected import InstalledArray, expected_years
from apps.monitoring.figures import MonthFigures, month_figures
from apps.monitoring.models import InstalledDesign, MonthlyPerformance, PerformanceAlert
from apps.monitoring.rules import Finding, finding, first_full_year
from apps.organizations.webhooks import webhook_emit
from apps.proposals.models import Proposal
from apps.scans.models import Scan

ALERT_EVENT = "performance.alert"


def _field_error(field: str, message: str, *, status: int = 400, code: str = "invalid") -> AppError:
    return AppError(f"{field}: {message}", status=status, code=code, errors={field: [message]})


def _from_design(*, dossier, design: dict, install_date, field: str, source: str, source_id: str):
    """Save a report's chosen design (``new_pv`` arrays as in ``solar.new_systems``, losses there a
    fraction; ``battery`` as in the report) as installed; no new panels → a 400 naming ``field``."""
    arrays = [
        {
            "panel_count": int(a["panel_count"]),
            "panel_power_watts": float(a["panel_power_rated_watts"]),
            "tilt_deg": float(a["tilt_deg"]),
            "azimuth_deg": float(a["azimuth_deg"]),
            "losses_pct": round(float(a["losses"]) * 100.0, 2),
        }
        for a in design.get("new_pv") or []
        if a.get("panel_count")
    ]
    if not arrays:
        raise _field_error(field, "Its design has no new panels to install.")
    specs = (design.get("battery") or {}).get("specs")
    battery = {"capacity_kwh": specs["capacity_kwh"], "power_kw": specs["power_kw"]} if specs else None
    return installed_design_save(
        dossier=dossier,
        install_date=install_date,
        arrays=arrays,
        battery=battery,
        source=source,
        source_id=source_id,
    )


@transaction.atomic
def installed_design_save(
    *,
    dossier: Dossier,
    install_date: dt.date,
    arrays: list[dict],
    battery: dict | None = None,
    source: str = InstalledDesign.Source.MANUAL,
    source_id: str = "",
) -> InstalledDesign:
    """Create or replace what was installed on the dossier, then recompute its months."""
    if not arrays:
        raise _field_error("arrays", "At least one array with panels is needed.")
    if install_date > timezone.localdate():
        raise _field_error("installDate", "The install date cannot be in the future.")
    design, _ = InstalledDesign.objects.update_or_create(
        dossier=dossier,
        defaults={
            "organization": dossier.organization,
            "install_date": install_date,
            "arrays": arrays,
            "battery": battery,
            "source": source,
            "source_id": source_id,
        },
    )
    performance_refresh(dossier=dossier)
    return design


def installed_design_from_scan(*, dossier: Dossier, scan: Scan, install_date: dt.date) -> InstalledDesign:
    """The completed scan's chosen design, as installed on ``install_date``."""
    if scan.dossier_id != dossier.pk or scan.status != Scan.Status.COMPLETED:
        raise _field_error("scanId", "Choose a completed scan of this dossier.")
    report = scan.report or {}
    return _from_design(
        dossier=dossier,
        design={"new_pv": (report.get("solar") or {}).get("new_systems"), "battery": report.get("battery")},
        install_date=install_date,
        field="scanId",
        source=InstalledDesign.Source.SCAN,
        source_id=scan.pk,
    )


def installed_design_from_proposal(
    *, dossier: Dossier, proposal: Proposal, install_date: dt.date
) -> InstalledDesign:
    """The accepted proposal's frozen design (what the homeowner signed for), as installed."""
    if (
        proposal.status != Proposal.Status.ACCEPTED
        or proposal.scan is None
        or proposal.scan.dossier_id != dossier.pk
    ):
        raise _field_error("proposalId", "Choose an accepted proposal of this dossier.")
    return _from_design(
        dossier=dossier,
        design=proposal.snapshot.get("design") or {},  # frozen with the proposal: what was signed for
        install_date=install_date,
        field="proposalId",
        source=InstalledDesign.Source.PROPOSAL,
        source_id=proposal.pk,
    )


def _installed_arrays(design: InstalledDesign) -> tuple[InstalledArray, ...]:
    return tuple(
        InstalledArray(
            panel_count=a["panel_count"],
            panel_power_watts=a["panel_power_watts"],
            tilt=a["tilt_deg"],
            azimuth=a["azimuth_deg"],
            losses_pct=a["losses_pct"],
        )
        for a in design.arrays
    )


def _store_months(dossier: Dossier, months: list[MonthFigures]) -> None:
    MonthlyPerformance.objects.filter(dossier=dossier).exclude(month__in=[m.month for m in months]).delete()
    for m in months:
        MonthlyPerformance.objects.update_or_create(
            dossier=dossier,
            month=m.month,
            defaults={
                "organization": dossier.organization,
                "operating_year": m.operating_year,
                "expected_low_kwh": m.expected_low_kwh,
                "expected_kwh": m.expected_kwh,
                "expected_high_kwh": m.expected_high_kwh,
                "expected_this_weather_kwh": m.expected_this_weather_kwh,
                "actual_kwh": m.actual_kwh,
                "coverage": m.coverage,
                "covered_share": m.covered_share,
                "ratio": m.ratio,
                "status": m.status,
            },
        )


def alert_event_data(alert: PerformanceAlert) -> dict:
    return {
        "alertId": alert.pk,
        "dossierId": alert.dossier_id,
        "status": alert.status,
        "rule": alert.rule,
        "sinceMonth": alert.since_month.strftime("%Y-%m"),
        "shortfallPct": round(alert.shortfall_pct, 1),
        "clearedAt": alert.cleared_at.isoformat() if alert.cleared_at else None,
    }


def _announce(alert: PerformanceAlert) -> None:
    """Webhook and e-mail, both with the current transaction (outbox): a rolled-back refresh sends none."""
    webhook_emit(organization=alert.organization, event_type=ALERT_EVENT, data=alert_event_data(alert))
    outbox_enqueue("apps.monitoring.jobs.mail_alert", alert.pk)


def _apply(dossier: Dossier, found: Finding | None) -> PerformanceAlert | None:
    active = (
        PerformanceAlert.objects.select_for_update()
        .filter(dossier=dossier, status=PerformanceAlert.Status.ACTIVE)
        .first()
    )
    if found is None:
        if active is not None:
            active.status, active.cleared_at = PerformanceAlert.Status.CLEARED, timezone.now()
            active.save(update_fields=["status", "cleared_at", "updated_at"])
            _announce(active)
        return None
    if active is None:
        active = PerformanceAlert.objects.create(
            organization=dossier.organization,
            dossier=dossier,
            rule=found.rule,
            since_month=found.since_month,
            shortfall_pct=found.shortfall_pct,
        )
        _announce(active)
        return active
    active.rule, active.since_month, active.shortfall_pct = found.rule, found.since_month, found.shortfall_pct
    active.save(update_fields=["rule", "since_month", "shortfall_pct", "updated_at"])
    return active


@transaction.atomic
def performance_refresh(*, dossier: Dossier, now: dt.datetime | None = None) -> list[MonthFigures]:
    """Recompute the dossier's months and alert from its installed design and stored readings.

    Without a design or coordinates there is nothing to expect: the months are removed (and an alert
    cleared)."""
    design = selectors.installed_design_of(dossier=dossier)
    if design is None or dossier.latitude is None or dossier.longitude is None:
        _store_months(dossier, [])
        _apply(dossier, None)
        return []
    expected = expected_years(_installed_arrays(design), dossier.latitude, dossier.longitude)
    months = month_figures(
        expected, selectors.production_series(dossier=dossier), design.install_date, now or timezone.now()
    )
    first_year = first_full_year(months)
    first_year_low = (
        None
        if first_year is None
        else expected.lowest_total([(m.month.month, m.operating_year, m.covered_share) for m in first_year])
    )
    _store_months(dossier, months)
    _apply(dossier, finding(months, first_year_low))
    return months
