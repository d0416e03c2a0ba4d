"""Shared pieces of the monitoring tests: a roof at De Bilt, readings shaped like the engine's typical year.

Readings made from ``ExpectedYears.hourly_typical`` sum, over a complete non-leap month, to exactly the
month's typical expectation (the typical series is the mean of the years' hourly series), so a factor on
them is the performance ratio the code must find."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from apps.devices.models import Asset, DeviceLink, Reading
from apps.monitoring.expected import ExpectedYears, InstalledArray, expected_years
from apps.monitoring.figures import time_base_steps

DE_BILT = (52.10, 5.18)
ROOF = {
    "panel_count": 10,
    "panel_power_watts": 400.0,
    "tilt_deg": 35.0,
    "azimuth_deg": 180.0,
    "losses_pct": 14.0,
}


def roof_expected() -> ExpectedYears:
    array = InstalledArray(10, 400.0, 35.0, 180.0, 14.0)
    return expected_years((array,), *DE_BILT)


def typical_readings(expected: ExpectedYears, start: dt.datetime, end: dt.datetime, factor) -> pd.Series:
    """Hourly production [kWh] from ``start`` to ``end`` (UTC): the typical hour × ``factor(hour)``."""
    hours = pd.date_range(start, end, freq="h", inclusive="left", tz="UTC")
    values = expected.hourly_typical[time_base_steps(hours)] * [factor(h) for h in hours]
    return pd.Series(values, index=hours)


def store_inverter_readings(dossier, series: pd.Series) -> DeviceLink:
    """A linked Enphase system with one inverter whose hourly readings are stored as the sync stores them."""
    link = DeviceLink.objects.create(
        organization=dossier.organization,
        dossier=dossier,
        provider="enphase",
        status=DeviceLink.Status.LINKED,
    )
    asset = Asset.objects.create(
        organization=dossier.organization, link=link, kind=Asset.Kind.INVERTER, vendor_id="sys-1"
    )
    Reading.objects.bulk_create(
        [
            Reading(
                link=link, asset=asset, kind=Reading.Kind.PRODUCTION, hour=h.to_pydatetime(), kwh=round(v, 6)
            )
            for h, v in series.items()
        ],
        batch_size=2000,
    )
    return link
