"""Device-link reads (tenant-scoped)."""

from __future__ import annotations

import pandas as pd
from django.db.models import Prefetch, QuerySet

from apps.common.errors import NotFound
from apps.devices.models import Asset, DeviceLink, Reading
from apps.organizations.models import Organization


def device_link_list(
    *, organization: Organization, dossier_id: str = "", provider: str = "", status: str = ""
) -> QuerySet[DeviceLink]:
    links = DeviceLink.objects.for_organization(organization).select_related("dossier")
    if dossier_id:
        links = links.filter(dossier_id=dossier_id)
    if provider:
        links = links.filter(provider=provider)
    if status:
        links = links.filter(status=status)
    return links.prefetch_related(Prefetch("assets", queryset=Asset.objects.order_by("kind", "name")))


def device_link_get(*, organization: Organization, link_id: str) -> DeviceLink:
    link = device_link_list(organization=organization).filter(pk=link_id).first()
    if link is None:
        raise NotFound("Device link not found.")
    return link


RESOLUTIONS = {"hour": None, "day": "D", "month": "MS"}
LOCAL_TZ = "Europe/Amsterdam"


def link_readings(*, link: DeviceLink, kind: str, resolution: str = "day", start=None, end=None) -> pd.Series:
    """Readings of one kind summed over the link's assets [kWh], per hour (UTC) or per local day/month.

    Production sums inverters when there are any (else the HEM system's generation), so a household's
    PV is never counted twice; other kinds sum every asset that reports them.
    """
    readings = Reading.objects.filter(link=link, kind=kind)
    if kind == Reading.Kind.PRODUCTION and readings.filter(asset__kind=Asset.Kind.INVERTER).exists():
        readings = readings.filter(asset__kind=Asset.Kind.INVERTER)
    if start is not None:
        readings = readings.filter(hour__gte=start)
    if end is not None:
        readings = readings.filter(hour__lt=end)
    rows = list(readings.order_by("hour").values_list("hour", "kwh"))
    if not rows:
        return pd.Series([], index=pd.DatetimeIndex([], tz="UTC"), dtype=float, name="kwh")
    hours, values = zip(*rows, strict=True)
    series = pd.Series(values, index=pd.DatetimeIndex(hours).tz_convert("UTC"), dtype=float, name="kwh")
    series = series.groupby(level=0).sum()
    rule = RESOLUTIONS[resolution]
    if rule:
        series = series.tz_convert(LOCAL_TZ).resample(rule).sum(min_count=1).dropna()
    return series


def dossier_device_facts(*, organization: Organization, dossier_id: str) -> dict:
    """What the dossier's linked devices say, for scan and studio inputs.

    ``battery`` / ``vehicle`` / ``charger``: capacity [kWh] and power [kW] of the first linked one, as the
    vendor states them (None if absent or not stated);
    ``production``: measured PV production of the last 365 synced days [kWh] and the inverter capacity
    [kW], to show measured next to simulated yield.
    """
    assets = Asset.objects.for_organization(organization).filter(
        link__dossier_id=dossier_id, link__status=DeviceLink.Status.LINKED
    )

    def first(kind: str) -> dict | None:
        asset = assets.filter(kind=kind).order_by("created_at").first()
        if asset is None:
            return None
        return {
            "assetId": asset.pk,
            "name": asset.name,
            "capacityKwh": asset.capacity_kwh,
            "capacityKw": asset.capacity_kw,
            "facts": asset.facts,  # e.g. a charger's max_current_a (kW depends on its phases: not guessed)
        }

    inverters = list(assets.filter(kind=Asset.Kind.INVERTER))
    measured = [a.measured_kwh.get(Reading.Kind.PRODUCTION) for a in inverters]
    measured = [m for m in measured if m is not None]
    capacities = [a.capacity_kw for a in inverters if a.capacity_kw]
    return {
        "battery": first(Asset.Kind.BATTERY),
        "vehicle": first(Asset.Kind.VEHICLE),
        "charger": first(Asset.Kind.CHARGER),
        "production": {
            "measuredYearlyKwh": round(sum(measured), 3) if measured else None,
            "inverterCapacityKw": round(sum(capacities), 3) if capacities else None,
            "measured": dossier_measured_production(organization=organization, dossier_id=dossier_id),
        },
    }


def dossier_measured_production(*, organization: Organization, dossier_id: str) -> dict | None:
    """The measured yearly PV production of the dossier's linked devices, for calibrating a scan's
    existing PV: the link with a measured production that synced last (one source, never a sum of two
    links that may see the same inverter). None when no linked device measured production.

    ``measuredKwh`` [kWh over the synced period, at most the last 365 days], ``periodStart`` /
    ``periodEnd`` (ISO, UTC), ``periodDays`` [days], ``source`` (the provider), ``linkId``.
    """
    link = (
        DeviceLink.objects.for_organization(organization)
        .filter(
            dossier_id=dossier_id,
            status=DeviceLink.Status.LINKED,
            measured_production_kwh__isnull=False,
            measured_period_start__isnull=False,
            measured_period_end__isnull=False,
        )
        .order_by("-last_sync_at", "-created_at")
        .first()
    )
    if link is None:
        return None
    period = link.measured_period_end - link.measured_period_start
    return {
        "measuredKwh": round(link.measured_production_kwh, 3),
        "periodStart": link.measured_period_start.isoformat(),
        "periodEnd": link.measured_period_end.isoformat(),
        "periodDays": round(period.total_seconds() / 86400, 1),
        "source": link.provider,
        "linkId": link.pk,
    }


def linked_vehicles(*, organization: Organization) -> list[dict]:
    """The organization's vehicles on a linked device link, to fill a studio EV layer from.

    Per vehicle: ``assetId``, ``name``, ``dossierId`` and ``customerName`` (of the link's dossier),
    ``capacityKwh`` [kWh, None if the vendor states none] and ``chargerKw``: the stated power [kW] of a linked charger on
    the same link, else on another link of the same dossier (None if there is none with a stated
    power; a charger's max current alone is not turned into kW, its phases are unknown).
    """
    assets = Asset.objects.for_organization(organization).filter(
        link__organization=organization, link__status=DeviceLink.Status.LINKED
    )
    chargers = list(
        assets.filter(kind=Asset.Kind.CHARGER, capacity_kw__isnull=False)
        .order_by("created_at")
        .values_list("link_id", "link__dossier_id", "capacity_kw")
    )
    vehicles = (
        assets.filter(kind=Asset.Kind.VEHICLE)
        .select_related("link__dossier")
        .order_by("link__dossier__customer_name", "name", "created_at")
    )

    def charger_kw(vehicle: Asset) -> float | None:
        same_link = [kw for link_id, _d, kw in chargers if link_id == vehicle.link_id]
        same_dossier = [kw for _l, dossier_id, kw in chargers if dossier_id == vehicle.link.dossier_id]
        return (same_link or same_dossier or [None])[0]

    return [
        {
            "assetId": vehicle.pk,
            "name": vehicle.name
            or " ".join(filter(None, [vehicle.brand, vehicle.model]))
            or vehicle.vendor_id,
            "dossierId": vehicle.link.dossier_id,
            "customerName": vehicle.link.dossier.customer_name,
            "capacityKwh": vehicle.capacity_kwh,
            "chargerKw": charger_kw(vehicle),
        }
        for vehicle in vehicles
    ]
