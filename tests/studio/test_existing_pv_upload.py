"""A DSMR-reader hour export of a home with panels plus a solar layer: the measured import and export stay
exactly as read from the file; the layer only adds the reconstruction (issue: homes with existing PV)."""

from datetime import datetime, timedelta

import numpy as np
import pytest

from apps.studio.layers.common import unpack
from apps.studio.services import base_set_upload, layer_add, profile_create

HEADER = (
    "Hour Start,Electricity 1 (Dutch Users: Low Tariff),Electricity 2 (Dutch Users: Normal Tariff),"
    "Electricity 1 Returned (Dutch Users: Low Tariff),Electricity 2 Returned (Dutch Users: Normal Tariff),Gas"
)


def _dsmr_june() -> tuple[bytes, float, float]:
    """30 June days: 0.4 kWh bought every hour except 10:00-15:59, when 1.0 kWh per hour is exported."""
    lines, bought, exported = [HEADER], 0.0, 0.0
    start = datetime(2025, 6, 1)
    for h in range(30 * 24):
        t = start + timedelta(hours=h)
        sunny = 10 <= t.hour < 16
        imp, exp = (0.0, 1.0) if sunny else (0.4, 0.0)
        bought, exported = bought + imp, exported + exp
        lines.append(f"{t:%Y-%m-%dT%H:00:00}+02:00,0.000,{imp:.3f},0.000,{exp:.3f},0.000")
    return ("\n".join(lines) + "\n").encode(), bought, exported


def test_dsmr_export_keeps_the_measured_flows_with_a_solar_layer(owner):
    content, bought, exported = _dsmr_june()
    profile = profile_create(organization=owner.organization, name="DSMR")
    profile = base_set_upload(profile=profile, content=content, filename="dsmr.csv")
    base, base_export = unpack(profile.base_data), unpack(profile.base_export)
    # June on the reference year: days 151-180. The file's June is exactly what was read:
    # 30 days × 18 h × 0.4 = 216 kWh bought, 30 × 6 × 1.0 = 180 kWh exported (hand count).
    june = slice(151 * 24, 181 * 24)
    assert base[june].sum() == pytest.approx(bought, abs=0.01) == pytest.approx(216.0, abs=0.01)
    assert base_export[june].sum() == pytest.approx(exported, abs=0.01) == pytest.approx(180.0, abs=0.01)
    layer_add(
        profile=profile,
        preset_id="solar",
        solar_config={"panel_count": 10, "panel_power_watts": 430, "tilt": 35, "azimuth": 180, "losses": 14},
    )
    profile.refresh_from_db()
    # The layer describes the panels already behind the meter: import and export unchanged, hour by hour.
    np.testing.assert_array_equal(unpack(profile.result), base)
    np.testing.assert_array_equal(unpack(profile.export_result), base_export)
    gross, production = unpack(profile.gross_result), unpack(profile.production_result)
    assert np.all(gross >= base) and np.all(production >= base_export - 1e-6)
    # In the exporting June hours (10:00-16:00 summer time = 09:00-15:00 UTC+1) the home buys nothing, yet
    # it uses electricity: the reconstruction gives it its own use of the panels (the bug: zero use).
    sunny = np.zeros(8760, dtype=bool)
    for day in range(151, 181):
        sunny[day * 24 + 9 : day * 24 + 15] = True
    assert np.all(base_export[sunny] > 0.99)
    assert base[sunny].sum() == 0 and gross[sunny].sum() > 0.1 * 180


def test_profile_stored_before_the_reconstruction_is_recombined_for_a_scan(owner):
    from apps.studio.models import StudioProfile
    from apps.studio.selectors import studio_profile_for_scan

    content, _, _ = _dsmr_june()
    profile = base_set_upload(
        profile=profile_create(organization=owner.organization, name="Oud"), content=content, filename="d.csv"
    )
    layer_add(profile=profile, preset_id="solar")
    # As stored by the previous rule: the layer had lowered the import; no gross consumption stored.
    base = unpack(StudioProfile.objects.get(pk=profile.pk).base_data)
    StudioProfile.objects.filter(pk=profile.pk).update(
        gross_result=None, result=(base * 0.5).astype("<f4").tobytes()
    )
    series = studio_profile_for_scan(owner.organization, profile.pk)
    np.testing.assert_array_equal(series.consumption_kwh, base)  # measured import restored
    assert np.all(series.gross_kwh >= base)
