"""The PV chain against NREL PVWatts v8 (SAM's ``Pvwattsv8`` through NREL-PySAM) on the same measured
hourly weather: KNMI De Bilt 2023 carried to Utrecht, with our own DIRINT split, so only the PV model is
compared. Bands from the issue: annual within ±2 %, every month within ±5 %.

PVWatts is run as a 1 kW fixed roof-mount array (array_type 1: no row-to-row self-shading, which v8
applies to open racks), 14 % losses, the engine's DC/AC ratio, 96 % inverter efficiency, albedo 0.2, and
the sun at the hour's centre (minute 30, our ``hour_centres``) in UTC+1 standard time.
"""

from __future__ import annotations

import numpy as np
import PySAM.Pvwattsv8 as pvwattsv8
import pytest

from apps.engine import defaults as d
from apps.engine.pv import kwh_per_kwp
from apps.engine.timebase import hourly_index, monthly_sum
from apps.engine.weather import OfflineWeather


@pytest.fixture(scope="module")
def weather():
    return OfflineWeather(2023).get(52.09, 5.12)


def pvwatts_kwh_per_kwp(weather, tilt: float, azimuth: float) -> np.ndarray:
    index = hourly_index()
    model = pvwattsv8.default("PVWattsNone")
    model.SolarResource.solar_resource_data = {
        "tz": float(d.UTC_OFFSET_HOURS),
        "elev": weather.altitude,
        "lat": weather.latitude,
        "lon": weather.longitude,
        "year": index.year.astype(float).tolist(),
        "month": index.month.astype(float).tolist(),
        "day": index.day.astype(float).tolist(),
        "hour": index.hour.astype(float).tolist(),
        "minute": [30.0] * len(index),
        "dn": weather.dni.tolist(),
        "df": weather.dhi.tolist(),
        "gh": weather.ghi.tolist(),
        "tdry": weather.temp_air.tolist(),
        "wspd": weather.wind_speed.tolist(),
        "albedo": [d.PV_ALBEDO] * len(index),
    }
    design = model.SystemDesign
    design.system_capacity = 1.0
    design.tilt = tilt
    design.azimuth = azimuth
    design.losses = 14.0
    design.array_type = 1
    design.module_type = 0
    design.dc_ac_ratio = d.PV_DC_AC_RATIO
    design.inv_eff = 96.0
    model.execute()
    return np.asarray(model.Outputs.ac, dtype=float) / 1000.0  # W → kWh per hour for 1 kW


@pytest.mark.parametrize(("tilt", "azimuth"), [(35, 180), (35, 90), (35, 270)], ids=["south", "east", "west"])
def test_pv_chain_matches_pvwatts_v8(weather, tilt, azimuth):
    ours = kwh_per_kwp(weather, tilt, azimuth, 14)
    reference = pvwatts_kwh_per_kwp(weather, tilt, azimuth)
    assert ours.sum() == pytest.approx(reference.sum(), rel=0.02)
    np.testing.assert_allclose(monthly_sum(ours), monthly_sum(reference), rtol=0.05)
