"""Studio profile reads. The list never loads the hourly arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from apps.common.errors import AppError, NotFound
from apps.organizations.models import Organization
from apps.studio.charts import chart_data
from apps.studio.layers.common import unpack
from apps.studio.models import StudioLayer, StudioProfile

LIGHT_FIELDS = (
    "id",
    "organization_id",
    "user_id",
    "name",
    "year",
    "lat",
    "lon",
    "base_profile_type",
    "base_profile_name",
    "total_kwh",
    "peak_kw",
    "total_export_kwh",
    "peak_export_kw",
    "layer_count",
    "has_solar_layer",
    "created_at",
    "updated_at",
)


def studio_profile_list(*, organization: Organization) -> QuerySet[StudioProfile]:
    """The organization's profiles, newest change first, summary columns only."""
    return StudioProfile.objects.for_organization(organization).only(*LIGHT_FIELDS)


def studio_profile_get(*, organization: Organization, profile_id: str) -> StudioProfile:
    profile = StudioProfile.objects.for_organization(organization).filter(pk=profile_id).first()
    if profile is None:
        raise NotFound("Studio profile not found.")
    return profile


def studio_profile_quarter_peaks(*, organization: Organization, profile_id: str) -> dict:
    """The monthly peaks of the profile's 15-minute meter upload (``StudioProfile.quarter_peaks``), {} when
    it has none or is not the organization's."""
    peaks = (
        StudioProfile.objects.for_organization(organization)
        .filter(pk=profile_id)
        .values_list("quarter_peaks", flat=True)
        .first()
    )
    return peaks or {}


def studio_layer_get(*, profile: StudioProfile, layer_id: str) -> StudioLayer:
    layer = profile.layers.filter(pk=layer_id).first()
    if layer is None:
        raise NotFound("Layer not found in this studio profile.")
    return layer


def studio_layers(*, profile: StudioProfile) -> list[StudioLayer]:
    return list(profile.layers.all())


@dataclass(frozen=True, eq=False)
class StudioProfileSeries:
    """What a scan needs from a studio profile (kWh per hour, 8760 values of the engine's year).

    consumption_kwh: the profile's result (grid import after all layers);
    export_kwh: the grid export after all layers, None when the profile exports nothing;
    production_kwh: the existing production (solar layer or measured, reconciled with a measured meter),
    None without one;
    gross_kwh: the gross consumption (import + own use of the existing production);
    has_solar_layer: the profile has a solar layer (its export is then PV feed-in);
    measured_base: import and export are a meter's measurement (``StudioProfile.is_measured_base``);
    measured_production: the existing production was measured by a linked inverter;
    solar_surfaces: the solar layer's roof surfaces (capacity, tilt, azimuth, losses), [] without one;
    reconstruction: what the reconstruction did (``StudioProfile.reconstruction``).
    """

    profile_id: str
    name: str
    consumption_kwh: np.ndarray
    export_kwh: np.ndarray | None
    production_kwh: np.ndarray | None
    has_solar_layer: bool
    total_kwh: float
    total_export_kwh: float
    gross_kwh: np.ndarray | None = None
    measured_base: bool = False
    measured_production: bool = False
    solar_surfaces: tuple[dict, ...] = ()
    reconstruction: dict | None = None
    day_order: tuple[int, ...] | None = None


def studio_profile_for_scan(organization: Organization, profile_id: str) -> StudioProfileSeries:
    """The profile's hourly result for a scan. 404 outside the organization; 400 without a base profile."""
    profile = studio_profile_get(organization=organization, profile_id=profile_id)
    if profile.gross_result is None and profile.base_data is not None:
        # Stored before the gross consumption existed: recombine once under today's rule (services).
        from apps.studio.services import profile_recompute

        profile = profile_recompute(profile=profile)
    consumption = unpack(profile.result)
    if consumption is None:
        raise AppError(
            "This studio profile has no base profile yet, so it has no consumption to scan.",
            code="studio_profile_empty",
        )
    export = unpack(profile.export_result)
    production = unpack(profile.production_result)
    gross = unpack(profile.gross_result)
    return StudioProfileSeries(
        profile_id=profile.id,
        name=profile.name,
        consumption_kwh=consumption,
        export_kwh=export if export is not None and export.any() else None,
        production_kwh=production if production is not None and production.any() else None,
        has_solar_layer=profile.has_solar_layer,
        total_kwh=profile.total_kwh,
        total_export_kwh=profile.total_export_kwh,
        gross_kwh=gross if gross is not None else consumption,
        measured_base=profile.is_measured_base,
        measured_production=profile.base_production is not None,
        solar_surfaces=_solar_surfaces(profile),
        reconstruction=profile.reconstruction or None,
        day_order=tuple((profile.reconstruction or {}).get("day_order") or ()) or None,
    )


def _solar_surfaces(profile: StudioProfile) -> tuple[dict, ...]:
    """The enabled solar layer's surfaces with their capacity [kWp], tilt/azimuth [°] and losses [%]."""
    from apps.studio.layers.solar import surface_kwp

    layer = profile.layers.filter(kind=StudioLayer.Kind.SOLAR, enabled=True).first()
    if layer is None:
        return ()
    config = layer.config.get("solar_config") or {}
    surfaces = config.get("roof_surfaces") or [config]
    return tuple(
        {
            "name": f"{layer.name} {i}" if len(surfaces) > 1 else layer.name,
            "kwp": surface_kwp(surface),
            "panel_count": int(surface.get("panel_count") or 0),
            "panel_power_watts": float(surface.get("panel_power_watts") or 0),
            "tilt": float(surface.get("tilt") or 0),
            "azimuth": float(surface.get("azimuth") if surface.get("azimuth") is not None else 180),
            "losses": surface.get("losses"),
        }
        for i, surface in enumerate(surfaces, start=1)
        if surface_kwp(surface) > 0
    )


def studio_profile_chart(
    *, profile: StudioProfile, view: str, index: int | None, sub_view: str | None
) -> dict:
    """Chart series of a profile with a base (baseline, each layer, result); raises ChartError on bad params."""
    layers = [
        {
            "id": layer.id,
            "name": layer.name,
            "type": layer.kind,
            "color": layer.color,
            "enabled": layer.enabled,
            "data": unpack(layer.data),
        }
        for layer in studio_layers(profile=profile)
    ]
    return chart_data(
        view=view,
        index=index,
        sub_view=sub_view,
        year=profile.year,
        baseline=unpack(profile.base_data),
        baseline_export=unpack(profile.base_export),
        result=unpack(profile.result),
        export=unpack(profile.export_result),
        production=unpack(profile.production_result),
        layers=layers,
    )
