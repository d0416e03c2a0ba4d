"""A studio scan of a home that already has solar panels (issue: homes with existing PV).

The truth: a single household of 4,000 kWh/yr (``household_profile``, seed 11) with 4.3 kWp south 35°.
The meter's view is made from it the way a DSMR hour export records it: hourly net, plus 0.05 kWh both
imported and exported in each sunny hour (a kettle under a passing cloud — import and export inside one
hour). The solar layer describes the same panels. Expected values are hand calculations from these
meter totals and the tariff typed in the request.
"""

import numpy as np
import pytest

from apps.engine.load import household_profile
from apps.engine.pv import kwh_per_kwp
from apps.engine.weather import OfflineWeather
from apps.scans.jobs import run_scan
from apps.scans.models import Scan
from apps.studio.layers.common import unpack
from apps.studio.services import layer_add, profile_create, profile_save_state

LAT, LON = 52.09, 5.12
PRICE, FEED_IN, FIXED = 0.30, 0.20, 10.0  # EUR/kWh incl. taxes, EUR/kWh, EUR/month
SOLAR = {"panel_count": 10, "panel_power_watts": 430, "tilt": 35, "azimuth": 180, "losses": 14}
BODY = {
    "location": {"lat": LAT, "lon": LON},
    "inputMethod": "studio",
    "newPv": [{"maxPanelCount": 8, "panelPowerWatts": 430, "tiltAngle": 35, "orientationAngle": 90}],
    "tariff": {
        "type": "flat",
        "flatEurPerKwh": PRICE,
        "feedInEurPerKwh": FEED_IN,
        "taxesIncluded": True,
        "netMetering": False,
        "feedInCostEurPerKwh": 0.0,
        "fixedMonthlyEur": FIXED,
    },
}


def net_meter(gross: np.ndarray, pv: np.ndarray, within_hour: float = 0.05):
    net = gross - pv
    both = np.where(pv > 0.3, within_hour, 0.0)
    return np.maximum(net, 0.0) + both, np.maximum(-net, 0.0) + both


@pytest.fixture
def truth():
    pv = kwh_per_kwp(OfflineWeather().get(LAT, LON), 35, 180, 14) * 4.3
    gross = household_profile(4000.0, seed=11)
    imp, exp = net_meter(gross, pv)
    # The profile stores float32: compare against what it stores.
    return {
        "pv": pv,
        "gross": gross,
        "import": imp.astype("<f4").astype(float),
        "export": exp.astype("<f4").astype(float),
    }


@pytest.fixture
def profile(owner, truth):
    profile = profile_create(organization=owner.organization, name="Fam. De Vries", lat=LAT, lon=LON)
    profile = profile_save_state(
        profile=profile,
        studio_state={
            "base_profile": {
                "type": "upload",
                "name": "P1-export 2024",
                "data": truth["import"].tolist(),
                "export_data": truth["export"].tolist(),
            },
            "layers": [],
        },
    )
    layer_add(profile=profile, preset_id="solar", solar_config=SOLAR)
    profile.refresh_from_db()
    return profile


def test_solar_layer_keeps_the_measured_import_and_export(profile, truth):
    # The layer describes the panels already behind the meter: measured data never changes.
    np.testing.assert_array_equal(unpack(profile.result), truth["import"])
    np.testing.assert_array_equal(unpack(profile.export_result), truth["export"])
    assert profile.total_kwh == pytest.approx(truth["import"].sum(), abs=0.01)
    gross = unpack(profile.gross_result)
    production = unpack(profile.production_result)
    assert np.all(gross >= truth["import"])
    assert np.all(production >= truth["export"] - 1e-6)
    # Balance: Σ gross = Σ import + Σ production − Σ export; the layer is the true system, so the
    # production total is the true one (4.3 kWp × the weather's yield) and the gross the true 4,000 kWh
    # plus the within-hour pairs' nothing (they cancel in import − export).
    assert production.sum() == pytest.approx(truth["pv"].sum(), rel=1e-4)
    assert gross.sum() == pytest.approx(4000.0, rel=1e-3)
    rec = profile.reconstruction
    assert rec["measured_import_kwh"] == pytest.approx(truth["import"].sum(), abs=0.1)
    assert rec["production_source"] == "solar_layer"


def test_scan_starts_from_today_with_the_measured_bill(owner, profile, truth, stub_broker):
    response = owner.key_client().post("/v1/scans", {**BODY, "customProfileId": profile.id}, format="json")
    assert response.status_code == 201, response.content
    scan = Scan.objects.get(pk=response.json()["id"])
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "completed", scan.error_message
    report = scan.report
    imp, exp = truth["import"].sum(), truth["export"].sum()
    # Year-one bill of today's household = measured import × price − export × feed-in + 12 × fixed.
    hand = imp * PRICE - exp * FEED_IN + 12 * FIXED
    assert report["financial"]["parameters"]["baseline_first_year_cost"] == pytest.approx(hand, abs=0.5)
    assert report["electricity_grid"]["annual_energy_supplied_kwh_bau"] == pytest.approx(imp, abs=0.5)
    # Self-sufficiency now = 1 − import / gross use, with the gross the true 4,000 kWh (above): > 0.
    ss_now = report["overview"]["kpi"]["self_sufficiency_baseline"]
    assert ss_now == pytest.approx(1 - imp / 4000.0, abs=0.002)
    assert ss_now > 0.2
    # Sized on top: the existing panels are in the report as existing, not as new.
    existing = report["solar"]["existing_systems"]
    assert len(existing) == 1 and existing[0]["installed_capacity_kwp"] == pytest.approx(4.3)
    assert existing[0]["investment"] == 0
    # The household's measured and reconstructed figures are shown for the installer.
    household = report["solar"]["existing_household"]
    assert household["measured_import_kwh"] == pytest.approx(imp, abs=0.5)
    assert household["measured_export_kwh"] == pytest.approx(exp, abs=0.5)
    assert household["gross_consumption_kwh"] == pytest.approx(4000.0, rel=1e-3)
    assert household["existing_production_kwh"] == pytest.approx(truth["pv"].sum(), rel=1e-3)
    # Method and known error are in the report's assumptions.
    assert "measured import" in report["assumptions"]["gross_load_reconstruction"]
    assert "20 %" in report["assumptions"]["gross_load_known_error"]
    # Summer days: the household uses electricity between 06:00 and 17:00 (it did not before).
    series = scan.series.unpack()
    july = series["consumption"].reshape(-1, 24)[181:212]
    assert july[:, 6:17].sum() > 0.25 * july.sum()


def test_existing_pv_in_the_request_is_refused_when_the_profile_has_a_solar_layer(owner, profile):
    existing = [
        {"name": "dak", "panelCount": 10, "panelPowerWatts": 430, "tiltAngle": 35, "orientationAngle": 180}
    ]
    response = owner.key_client().post(
        "/v1/scans", {**BODY, "customProfileId": profile.id, "existingPv": existing}, format="json"
    )
    assert response.status_code == 400
    assert "existingPv" in response.json()["errors"]


def test_net_profile_without_solar_layer_asks_for_one_in_the_portal_language(owner, truth):
    profile = profile_create(organization=owner.organization, name="Zonder laag")
    profile_save_state(
        profile=profile,
        studio_state={
            "base_profile": {
                "type": "upload",
                "data": truth["import"].tolist(),
                "export_data": truth["export"].tolist(),
            },
            "layers": [],
        },
    )
    client = owner.key_client()
    body = {**BODY, "customProfileId": profile.id}
    en = client.post("/v1/scans", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 400
    assert "add a solar layer" in en.json()["errors"]["customProfileId"][0]
    nl = client.post("/v1/scans", body, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert nl.status_code == 400
    assert "zonnelaag" in nl.json()["errors"]["customProfileId"][0]
    assert Scan.objects.count() == 0
