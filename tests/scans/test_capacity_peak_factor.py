"""The Belgian capacity tariff's quarter-hour peak factor measured from a household's own 15-minute meter
export (issue 12.4): upload → studio profile → scan on the capacity tariff → the report says which factor
billed the peaks and where it comes from."""

import io

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from apps.engine import defaults as engine_defaults
from apps.reports.wording import assumption_rows
from apps.scans.capacity_peak import KEY
from apps.scans.engine_inputs import build_engine_inputs
from apps.scans.jobs import run_scan
from apps.scans.models import Scan
from apps.scans.studio_link import studio_load
from apps.studio.layers.common import unpack
from apps.studio.models import StudioProfile
from apps.studio.services import profile_save_state
from devkit.meterfiles import fluvius_csv, synthetic_data

BE_TARIFF = {
    "type": "flat",
    "country": "BE",
    "flatEurPerKwh": 0.35,
    "feedInEurPerKwh": 0.03,
    "capacityTariff": True,
}
BODY = {
    "location": {"lat": 51.05, "lon": 3.72},
    "inputMethod": "studio",
    "newPv": [{"maxPanelCount": 8, "panelPowerWatts": 430, "tiltAngle": 30, "orientationAngle": 180}],
    "tariff": BE_TARIFF,
}


@pytest.fixture(scope="module")
def year():
    """A full 2025 of 15-minute import, each quarter drawn around its hour's level (devkit's generator)."""
    return synthetic_data("2025-01-01", "2026-01-01", step_min=15, seed=11)


def _expected_factor(year) -> float:
    """Independently of the studio code: each Brussels calendar month's highest quarter [kW = 4 x kWh] and
    highest clock-hour mean [kW = kWh of the hour], summed over the twelve months, divided."""
    kwh = pd.Series(year.import_wh / 1000, index=year.local())
    quarter_kw = (4 * kwh).groupby(kwh.index.month).max()
    hour_kwh = kwh.tz_convert("UTC").resample("1h").sum().tz_convert(kwh.index.tz)
    hourly_kw = hour_kwh.groupby(hour_kwh.index.month).max()
    return float(quarter_kw.sum() / hourly_kw.sum())


def _upload(client, content: bytes) -> str:
    profile_id = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    file = io.BytesIO(content)
    file.name = "verbruikshistoriek.csv"
    response = client.post(
        f"/v1/studio-profiles/{profile_id}/base/upload", {"file": file}, format="multipart"
    )
    assert response.status_code == 201, response.content
    return profile_id


def test_a_15_minute_upload_bills_its_own_quarter_hour_peaks(owner, year, stub_broker):
    client = owner.key_client()
    profile_id = _upload(client, fluvius_csv(year, export=False))
    expected = _expected_factor(year)
    # The made-up quarters vary ±40 % around their hour (devkit), so the factor sits well above 1 and apart
    # from the engine's default: the test tells the two apart.
    assert expected > 1.05 and abs(expected - engine_defaults.BE_QUARTER_HOUR_PEAK_FACTOR) > 0.02
    peaks = StudioProfile.objects.get(pk=profile_id).quarter_peaks
    assert all(q >= h for q, h in zip(peaks["quarter_hour_kw"], peaks["hourly_kw"], strict=True))
    assert peaks["billed_kw"] == [max(q, 2.5) for q in peaks["quarter_hour_kw"]]  # the 2.5 kW floor

    response = client.post("/v1/scans", {**BODY, "customProfileId": profile_id}, format="json")
    assert response.status_code == 201, response.content
    scan = Scan.objects.get(pk=response.json()["id"])
    assert scan.inputs[KEY] == {
        "factor": pytest.approx(expected, abs=2e-3),
        "months": 12,
        "profile_id": profile_id,
    }
    engine_inputs = build_engine_inputs(
        scan.inputs, studio=studio_load(organization=owner.organization, profile_id=profile_id)
    )
    assert engine_inputs.tariff.capacity_peak_factor == scan.inputs[KEY]["factor"]

    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "completed", scan.error_message
    assumptions = scan.report["assumptions"]
    assert assumptions["capacityPeakFactor"] == scan.inputs[KEY]["factor"]
    assert assumptions["capacityPeakFactorSource"] == "measured"
    assert assumptions["capacityPeakFactorMonths"] == 12
    assert assumptions["capacityTariffFloorKw"] == engine_defaults.BE_CAPACITY_TARIFF_FLOOR_KW
    # First operating year 2027 (the year after the scan's): the table's latest year at or before it, 2026.
    assert assumptions["capacityTariffRateYear"] == 2026
    assert (
        assumptions["capacityTariffEurPerKwYearExclVat"] == engine_defaults.BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR
    )
    rows = dict(row for _title, group in assumption_rows(scan.report, scan.inputs) for row in group)
    assert rows["Quarter-hour peak"] == (
        f"{assumptions['capacityPeakFactor']:.2f} × the highest hour of the month, "
        "measured from your meter's quarter hours (12 months)"
    )
    assert rows["Capacity tariff minimum monthly peak"] == "2.5 kW"
    assert rows["Capacity tariff rate"] == "€ 53.39 /kW/year excl. VAT, Flemish average of 2026"
    with translation.override("nl"):
        dutch = dict(row for _title, group in assumption_rows(scan.report, scan.inputs) for row in group)
    assert dutch["Kwartierpiek"].endswith("gemeten uit de kwartieren van uw meter (12 maanden)")


def test_a_given_factor_wins_over_the_measured_one(owner, year, stub_broker):
    client = owner.key_client()
    profile_id = _upload(client, fluvius_csv(year, export=False))
    tariff = {**BE_TARIFF, "capacityPeakFactor": 1.25}
    response = client.post(
        "/v1/scans", {**BODY, "customProfileId": profile_id, "tariff": tariff}, format="json"
    )
    scan = Scan.objects.get(pk=response.json()["id"])
    assert KEY not in scan.inputs
    assert build_engine_inputs(
        scan.inputs, studio=studio_load(organization=owner.organization, profile_id=profile_id)
    ).tariff.capacity_peak_factor == pytest.approx(1.25)


def test_an_hourly_profile_bills_the_default_factor(owner, stub_broker):
    client = owner.key_client()
    hourly = synthetic_data("2025-01-01", "2026-01-01", step_min=60, seed=11)
    profile_id = _upload(client, fluvius_csv(hourly, export=False))
    assert StudioProfile.objects.get(pk=profile_id).quarter_peaks == {}
    response = client.post("/v1/scans", {**BODY, "customProfileId": profile_id}, format="json")
    scan = Scan.objects.get(pk=response.json()["id"])
    assert KEY not in scan.inputs
    run_scan.fn(scan.id)
    scan.refresh_from_db()
    assert scan.status == "completed", scan.error_message
    assert scan.report["assumptions"]["capacityPeakFactor"] == engine_defaults.BE_QUARTER_HOUR_PEAK_FACTOR
    assert scan.report["assumptions"]["capacityPeakFactorSource"] == "default"
    rows = dict(row for _title, group in assumption_rows(scan.report, scan.inputs) for row in group)
    assert rows["Quarter-hour peak"].endswith("default assumption")


def test_the_editor_keeps_the_peaks_of_unchanged_data_and_forgets_them_for_new_data(owner, year):
    client = owner.key_client()
    profile = StudioProfile.objects.get(pk=_upload(client, fluvius_csv(year, export=False)))
    measured = profile.quarter_peaks
    same = {"base_profile": {"type": "upload", "name": "meter", "data": unpack(profile.base_data).tolist()}}
    assert profile_save_state(profile=profile, studio_state=same).quarter_peaks == measured
    doubled = {"base_profile": {**same["base_profile"], "data": (2 * unpack(profile.base_data)).tolist()}}
    assert profile_save_state(profile=profile, studio_state=doubled).quarter_peaks == {}


def test_a_new_base_forgets_the_measured_peaks(owner, year):
    client = owner.key_client()
    profile_id = _upload(client, fluvius_csv(year, export=False))
    assert (
        np.count_nonzero(
            [q is not None for q in StudioProfile.objects.get(pk=profile_id).quarter_peaks["quarter_hour_kw"]]
        )
        == 12
    )
    client.post(f"/v1/studio-profiles/{profile_id}/base", {"templateId": "groot-gezin"}, format="json")
    assert StudioProfile.objects.get(pk=profile_id).quarter_peaks == {}
