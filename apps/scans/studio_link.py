"""The one place scans read studio profiles (scans may know studio; studio never knows scans)."""

from dataclasses import dataclass

import numpy as np

from apps.common.errors import AppError
from apps.studio.selectors import studio_profile_for_scan


@dataclass(frozen=True, eq=False)
class StudioLoad:
    profile_id: str
    hourly_kwh: np.ndarray
    hourly_export_kwh: np.ndarray | None
    yearly_kwh: float


def _bad(detail: str) -> AppError:
    return AppError(detail, errors={"customProfileId": [detail]})


def studio_load(*, organization, profile_id: str) -> StudioLoad:
    """The profile's hourly consumption (and export) for the engine; an AppError naming customProfileId when
    the profile is not the organization's, is empty, or has export data without a solar layer."""
    try:
        series = studio_profile_for_scan(organization, profile_id)
    except AppError as exc:
        if exc.status == 404:
            raise _bad("No studio profile with this id in your organization.") from exc
        raise _bad(exc.detail) from exc
    if series.export_kwh is not None and not series.has_solar_layer:
        raise _bad(
            "The studio profile contains export (feed-in) data but no solar layer; add a solar layer so the "
            "gross consumption can be reconstructed."
        )
    return StudioLoad(series.profile_id, series.consumption_kwh, series.export_kwh, float(series.total_kwh))


def studio_profile_check(*, organization, profile_id: str) -> None:
    studio_load(organization=organization, profile_id=profile_id)
