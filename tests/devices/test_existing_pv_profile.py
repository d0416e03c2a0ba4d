"""Device-linked studio profiles of a home with panels: a linked inverter's measured production replaces the
simulated one (no double counting); with only a meter, a scan asks for a solar layer.

The year of readings is written straight onto a synced Enphase link (a 365-day sync of the fake takes
minutes): household consumption 4,000 kWh (``household_profile``, seed 11) and the production of 4.3 kWp
south on the offline weather, per UTC hour of 2025.
"""

import datetime as dt

import dramatiq
import numpy as np
import pandas as pd
import pytest

from apps.devices import services
from apps.devices.models import Asset, DeviceLink, Reading
from apps.engine.load import household_profile
from apps.engine.pv import kwh_per_kwp
from apps.engine.weather import OfflineWeather
from apps.scans.jobs import run_scan
from apps.scans.models import Scan
from apps.studio.layers.common import unpack
from apps.studio.services import layer_add
from tests.devices import support
from tests.devices.support import link_enphase

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures

HOURS = pd.date_range("2025-01-01 00:00", periods=8760, freq="h", tz="UTC")
TRUE_PANELS = {"panel_count": 10, "panel_power_watts": 430, "tilt": 35, "azimuth": 180, "losses": 14}
SCAN = {
    "location": {"lat": 52.09, "lon": 5.12},
    "inputMethod": "studio",
    "newPv": [{"maxPanelCount": 6, "panelPowerWatts": 430, "tiltAngle": 35, "orientationAngle": 90}],
}


def _year(link: DeviceLink, series: dict[tuple[str, str], np.ndarray]) -> None:
    """Replace the link's readings by a year of hourly ones: {(asset kind, reading kind): 8760 kWh}."""
    link.readings.all().delete()
    rows = []
    for (asset_kind, kind), values in series.items():
        asset = link.assets.filter(kind=asset_kind).first() or Asset.objects.create(
            organization=link.organization, link=link, kind=asset_kind, vendor_id=f"test-{asset_kind}"
        )
        rows += [
            Reading(link=link, asset=asset, kind=kind, hour=hour.to_pydatetime(), kwh=float(kwh))
            for hour, kwh in zip(HOURS, values, strict=True)
        ]
    Reading.objects.bulk_create(rows)
    DeviceLink.objects.filter(pk=link.pk).update(
        measured_period_start=HOURS[0].to_pydatetime(),
        measured_period_end=HOURS[-1].to_pydatetime() + dt.timedelta(hours=1),
    )


@pytest.fixture
def home():
    # Weather and load on the reference year's hours; placed on 2025 UTC the hours shift by one (UTC+1),
    # which changes nothing below: every check compares the profile with the same placed readings.
    pv = kwh_per_kwp(OfflineWeather().get(52.09, 5.12), 35, 180, 14) * 4.3
    return {"consumption": household_profile(4000.0, seed=11), "production": pv}


@pytest.fixture
def synced_link(owner, dossier, vendor_fakes):
    link_id = link_enphase(owner.key_client(), dossier)
    assert services.link_sync(link_id=link_id).status == "ok"
    return DeviceLink.objects.get(pk=link_id)


def test_measured_inverter_production_replaces_the_simulation(owner, synced_link, home):
    _year(
        synced_link,
        {
            (Asset.Kind.INVERTER, Reading.Kind.CONSUMPTION): home["consumption"],
            (Asset.Kind.INVERTER, Reading.Kind.PRODUCTION): home["production"],
        },
    )
    profile = services.studio_profile_from_link(link=synced_link)
    assert profile.base_production is not None
    imp, exp = unpack(profile.result), unpack(profile.export_result)
    production, gross = unpack(profile.production_result), unpack(profile.gross_result)
    # Measured: import and export are the hourly net of the readings, kept as they are.
    assert imp.sum() + production.sum() - exp.sum() == pytest.approx(4000.0, rel=1e-4)
    # The measured production is used as is (no reconciliation needed: export ≤ production each hour), so
    # the gross consumption is the measured consumption: 4,000 kWh, hour by hour.
    assert production.sum() == pytest.approx(home["production"].sum(), rel=1e-4)
    assert gross.sum() == pytest.approx(4000.0, rel=1e-4)
    assert profile.reconstruction["production_source"] == "measured"
    # A solar layer added on top changes nothing: the measurement wins (no double counting).
    layer_add(profile=profile, preset_id="solar", solar_config={"system_capacity_kw": 6.0, "panel_count": 0})
    profile.refresh_from_db()
    np.testing.assert_allclose(unpack(profile.gross_result), gross, atol=1e-4)
    np.testing.assert_array_equal(unpack(profile.result), imp)
    # The scan runs without asking for a solar layer and sizes for the measured 4,000 kWh.
    dramatiq.get_broker().flush_all()
    response = owner.key_client().post("/v1/scans", {**SCAN, "customProfileId": profile.id}, format="json")
    dramatiq.get_broker().flush_all()  # run below, in this process
    assert response.status_code == 201, response.content
    run_scan.fn(response.json()["id"])
    scan = Scan.objects.get(pk=response.json()["id"])
    assert scan.status == "completed", scan.error_message
    household = scan.report["solar"]["existing_household"]
    assert household["gross_consumption_kwh"] == pytest.approx(4000.0, rel=1e-3)
    assert household["existing_production_kwh"] == pytest.approx(home["production"].sum(), rel=1e-3)
    assert household["measured_import_kwh"] == pytest.approx(imp.sum(), abs=0.5)
    assert scan.report["solar"]["has_solar_panels_currently"] is True


def test_meter_only_link_needs_a_solar_layer_with_a_clear_400(owner, synced_link, home):
    net = home["consumption"] - home["production"]
    synced_link.assets.filter(kind=Asset.Kind.INVERTER).delete()
    _year(
        synced_link,
        {
            (Asset.Kind.METER, Reading.Kind.GRID_IMPORT): np.maximum(net, 0.0),
            (Asset.Kind.METER, Reading.Kind.GRID_EXPORT): np.maximum(-net, 0.0),
        },
    )
    profile = services.studio_profile_from_link(link=synced_link)
    assert profile.base_production is None and profile.total_export_kwh > 0
    response = owner.key_client().post(
        "/v1/scans", {**SCAN, "customProfileId": profile.id}, format="json", HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 400
    assert "zonnelaag" in response.json()["errors"]["customProfileId"][0]
    # With the solar layer describing the panels, the same profile scans; import/export unchanged.
    before = unpack(profile.result)
    layer_add(profile=profile, preset_id="solar", solar_config=TRUE_PANELS)
    profile.refresh_from_db()
    np.testing.assert_array_equal(unpack(profile.result), before)
    # Gross within 1 % of the true 4,000 kWh: the layer is the true system (yearly balance, see
    # apps.engine.reconstruction).
    assert unpack(profile.gross_result).sum() == pytest.approx(4000.0, rel=0.01)
