"""The one place scans read studio profiles (scans may know studio; studio never knows scans).

A studio profile's solar layer (or a linked inverter's measured production) is the home's existing
installation: the scan sizes for the profile's gross consumption and takes that production as its existing
PV; with a measured meter base the baseline's bill is the measured import and export.
"""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from apps.common.errors import AppError
from apps.studio.meterfiles.quarter_peaks import measured_peak_factor
from apps.studio.selectors import studio_profile_for_scan, studio_profile_quarter_peaks


@dataclass(frozen=True, eq=False)
class StudioLoad:
    """Hourly series [kWh, 8760]: ``hourly_kwh`` the gross consumption; ``hourly_import_kwh`` and
    ``hourly_export_kwh`` the grid flows (measured, after load layers), export None when there is none;
    ``hourly_existing_pv_kwh`` the existing production, None without one; ``existing_arrays`` the solar
    layer's surfaces; ``reconstruction`` what the studio did to get the gross consumption."""

    profile_id: str
    hourly_kwh: np.ndarray
    hourly_export_kwh: np.ndarray | None
    yearly_kwh: float
    hourly_import_kwh: np.ndarray | None = None
    hourly_existing_pv_kwh: np.ndarray | None = None
    existing_arrays: tuple[dict, ...] = ()
    measured_base: bool = False
    reconstruction: dict | None = None
    day_order: tuple[int, ...] | None = None


def _bad(detail: str) -> AppError:
    return AppError(detail, errors={"customProfileId": [detail]})


def studio_load(*, organization, profile_id: str) -> StudioLoad:
    """The profile's hourly series for the engine; an AppError naming customProfileId when the profile is not
    the organization's, is empty, or has export data without a solar layer or a measured production."""
    try:
        series = studio_profile_for_scan(organization, profile_id)
    except AppError as exc:
        if exc.status == 404:
            raise _bad(_("No studio profile with this id in your organization.")) from exc
        raise _bad(exc.detail) from exc
    has_production = series.has_solar_layer or series.measured_production
    if series.export_kwh is not None and not has_production:
        raise _bad(
            _(
                "The studio profile contains export (feed-in) data but no solar layer; add a solar layer "
                "describing the existing panels so the gross consumption can be reconstructed."
            )
        )
    gross = series.gross_kwh if series.gross_kwh is not None else series.consumption_kwh
    existing = series.production_kwh if has_production else None
    return StudioLoad(
        profile_id=series.profile_id,
        hourly_kwh=gross,
        hourly_export_kwh=series.export_kwh,
        yearly_kwh=float(gross.sum()),
        hourly_import_kwh=series.consumption_kwh if series.measured_base else None,
        hourly_existing_pv_kwh=existing,
        existing_arrays=series.solar_surfaces if existing is not None else (),
        measured_base=series.measured_base,
        reconstruction=series.reconstruction,
        day_order=series.day_order if existing is not None else None,
    )


def studio_profile_check(*, organization, profile_id: str) -> StudioLoad:
    return studio_load(organization=organization, profile_id=profile_id)


@dataclass(frozen=True)
class MeasuredPeakFactor:
    """The household's quarter-hour over hourly peak [-] measured from its 15-minute meter upload, over
    ``months`` calendar months."""

    factor: float
    months: int


def studio_peak_factor(*, organization, profile_id: str) -> MeasuredPeakFactor | None:
    """The profile's measured quarter-hour peak factor, None when its base is not a 15-minute upload (or
    covers no month well enough) or the profile is not the organization's."""
    peaks = studio_profile_quarter_peaks(organization=organization, profile_id=profile_id)
    factor = measured_peak_factor(peaks)
    if factor is None:
        return None
    return MeasuredPeakFactor(factor=factor, months=sum(q is not None for q in peaks["quarter_hour_kw"]))
