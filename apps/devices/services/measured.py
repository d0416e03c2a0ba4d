"""What a link measured: its totals over the last year of readings, its grid flows per hour, and the studio
profile built from them (the studio's meter-file rules place them on the engine's reference year)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Count, Sum

from apps.common.errors import NotFound
from apps.devices.models import Asset, DeviceLink, Reading
from apps.devices.services.errors import DeviceLinkError

YEAR = dt.timedelta(days=365)
MIN_STUDIO_DAYS = 7  # the studio's meter-file rule: fewer days cannot be completed into a year


def measured_totals_update(link: DeviceLink) -> None:
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
