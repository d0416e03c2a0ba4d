"""Reads for monitoring. Organization-facing reads go through ``for_organization``; another organization's
dossier is NotFound, as if it did not exist."""

from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet

from apps.common.errors import NotFound
from apps.devices.models import Asset, Reading
from apps.dossiers.models import Dossier
from apps.monitoring.models import InstalledDesign, MonthlyPerformance, PerformanceAlert
from apps.organizations.models import Organization

PRODUCING_ASSETS = (Asset.Kind.INVERTER, Asset.Kind.HEM_SYSTEM)
"""Where production is read, in order of preference (as the device sync's own totals do): the inverter's
statistics, else a home energy management system's."""


def dossier_get(*, organization: Organization | None, dossier_id: str) -> Dossier:
    dossier = Dossier.objects.for_organization(organization).filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound("No dossier with this id.")
    return dossier


def installed_design_of(*, dossier: Dossier) -> InstalledDesign | None:
    return InstalledDesign.objects.for_organization(dossier.organization).filter(dossier=dossier).first()


def performance_months(*, dossier: Dossier) -> QuerySet[MonthlyPerformance]:
    return MonthlyPerformance.objects.for_organization(dossier.organization).filter(dossier=dossier)


def active_alert_of(*, dossier: Dossier) -> PerformanceAlert | None:
    return (
        PerformanceAlert.objects.for_organization(dossier.organization)
        .filter(dossier=dossier, status=PerformanceAlert.Status.ACTIVE)
        .first()
    )


def active_alerts(*, organization: Organization | None) -> QuerySet[PerformanceAlert]:
    return (
        PerformanceAlert.objects.for_organization(organization)
        .filter(status=PerformanceAlert.Status.ACTIVE)
        .select_related("dossier")
    )


def production_series(*, dossier: Dossier) -> pd.Series:
    """Measured production of the dossier's linked devices per UTC hour start [kWh], summed over links
    (two inverters on one roof add up); per link from the first asset kind of ``PRODUCING_ASSETS`` it has."""
    parts = []
    for link in dossier.device_links.all():
        for asset_kind in PRODUCING_ASSETS:
            rows = list(
                Reading.objects.filter(link=link, kind=Reading.Kind.PRODUCTION, asset__kind=asset_kind)
                .order_by("hour")
                .values_list("hour", "kwh")
            )
            if rows:
                hours, values = zip(*rows, strict=True)
                parts.append(pd.Series(values, index=pd.DatetimeIndex(hours).tz_convert("UTC"), dtype=float))
                break
    if not parts:
        return pd.Series([], index=pd.DatetimeIndex([], tz="UTC"), dtype=float)
    return pd.concat(parts).groupby(level=0).sum().sort_index()
