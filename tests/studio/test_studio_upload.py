"""Meter-file upload as base profile, and the selector the scans use."""

import io

import numpy as np
import pytest

from apps.common.errors import AppError, NotFound
from apps.studio.models import StudioProfile
from apps.studio.selectors import studio_profile_for_scan
from devkit.meterfiles import fluvius_csv, generic_csv, homewizard_csv, synthetic_data


@pytest.fixture(scope="module")
def year_data():
    # a full calendar year of hourly whole-Wh values (the meter-file package's synthetic generator)
    return synthetic_data("2025-01-01", "2026-01-01", step_min=60, seed=7)


@pytest.fixture
def client(owner):
    return owner.key_client()


def _upload(client, pid, content: bytes, name="meter.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(f"/v1/studio-profiles/{pid}/base/upload", {"file": file}, format="multipart")


def test_generic_csv_upload_totals_equal_the_files(client, year_data):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    response = _upload(client, pid, generic_csv(year_data))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["baseProfileType"] == "upload" and body["baseProfileName"] == "meter.csv"
    # the file's own sums (whole Wh, so exact in kWh); float32 storage keeps them to < 0.01 kWh
    assert body["totalKwh"] == pytest.approx(year_data.total_import_kwh, abs=0.01)
    assert body["totalExportKwh"] == pytest.approx(year_data.total_export_kwh, abs=0.01)
    full = client.get(f"/v1/studio-profiles/{pid}").json()
    assert full["baseline"]["sourceType"] == "upload"
    assert full["baseline"]["annualKwh"] == pytest.approx(year_data.total_import_kwh, abs=0.01)
    assert full["baseline"]["annualExportKwh"] == pytest.approx(year_data.total_export_kwh, abs=0.01)
    assert full["baseline"]["upload"]["format"] == "generic"

    # an EV on top first absorbs the hour's existing export, so import rises by less than the EV's energy
    added = client.post(
        f"/v1/studio-profiles/{pid}/layers", {"presetId": "custom", "hourlyKw": [0.5] * 24}, format="json"
    )
    after = added.json()
    assert after["totalKwh"] - after["totalExportKwh"] == pytest.approx(
        year_data.total_import_kwh - year_data.total_export_kwh + 0.5 * 8760, abs=0.1
    )


@pytest.mark.parametrize("make", [fluvius_csv, homewizard_csv], ids=["fluvius", "homewizard"])
def test_meter_exports_upload(client, year_data, make):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    response = _upload(client, pid, make(year_data))
    assert response.status_code == 201, response.content
    # a full year in the file: the profile's totals are the file's totals
    assert response.json()["totalKwh"] == pytest.approx(year_data.total_import_kwh, abs=0.01)
    assert response.json()["totalExportKwh"] == pytest.approx(year_data.total_export_kwh, abs=0.01)


@pytest.mark.parametrize(
    ("sample", "code"),
    [
        ("p1_telegram.txt", "p1_telegram"),
        ("fluvius_gas.csv", "gas"),
        ("daily_homewizard.csv", "daily"),
        ("generic_bad_rows.csv", "bad_rows"),
        ("fluvius_newest_quarter.csv", "too_short"),
    ],
)
def test_sample_rejections_carry_the_parsers_code(client, sample, code):
    from pathlib import Path

    path = Path(__file__).parent / "samples" / sample
    if not path.exists():
        pytest.skip("meter-file sample not present")
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    response = _upload(client, pid, path.read_bytes(), sample)
    assert response.status_code == 400 and response.json()["code"] == code
    assert response.json()["errors"]["file"][0] == response.json()["detail"]
    assert StudioProfile.objects.get(pk=pid).base_profile_type == ""


def test_rejected_upload_changes_nothing(client):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "groot-gezin"}, format="json")
    before = StudioProfile.objects.get(pk=pid)
    daily = b"Datum,Verbruik kWh\n" + b"".join(f"2025-01-{d:02d},{10 + d}.5\n".encode() for d in range(1, 29))
    for content, name in ((daily, "dag.csv"), (b"hello;world\nfoo;bar\n", "x.csv"), (b"", "leeg.csv")):
        response = _upload(client, pid, content, name)
        assert response.status_code == 400, (name, response.content)
        problem = response.json()
        assert response["Content-Type"].startswith("application/problem+json")
        assert problem["code"] in {"daily", "unknown_format", "empty", "invalid"} and problem["detail"]
    after = StudioProfile.objects.get(pk=pid)
    assert (after.base_profile_type, after.base_template_id, after.total_kwh) == (
        "template",
        "groot-gezin",
        before.total_kwh,
    )
    assert bytes(after.base_data) == bytes(before.base_data) and after.updated_at == before.updated_at
    missing = client.post(f"/v1/studio-profiles/{pid}/base/upload", {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]


def test_daily_file_is_rejected_with_the_parsers_code(client):
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    from pathlib import Path

    sample = Path(__file__).parent / "samples" / "daily_vanaf_tot.csv"
    if not sample.exists():
        pytest.skip("meter-file samples not present")
    response = _upload(client, pid, sample.read_bytes(), "daily.csv")
    assert response.status_code == 400 and response.json()["code"] == "daily"


def test_selector_for_scan(owner, outsider):
    client = owner.key_client()
    pid = client.post("/v1/studio-profiles", {}, format="json").json()["id"]
    with pytest.raises(AppError):
        studio_profile_for_scan(owner.organization, pid)  # no base profile yet
    client.post(f"/v1/studio-profiles/{pid}/base", {"templateId": "stel"}, format="json")
    series = studio_profile_for_scan(owner.organization, pid)
    assert (
        series.consumption_kwh.shape == (8760,)
        and series.export_kwh is None
        and series.has_solar_layer is False
    )
    assert series.consumption_kwh.sum() == pytest.approx(3200, abs=0.01)
    client.post(f"/v1/studio-profiles/{pid}/layers", {"presetId": "solar"}, format="json")
    series = studio_profile_for_scan(owner.organization, pid)
    assert series.has_solar_layer and series.export_kwh is not None and series.production_kwh is not None
    assert series.export_kwh.sum() == pytest.approx(series.total_export_kwh, abs=0.01)
    assert np.all(series.consumption_kwh >= 0)
    with pytest.raises(NotFound):
        studio_profile_for_scan(outsider.organization, pid)
    client.delete(f"/v1/studio-profiles/{pid}")
    with pytest.raises(NotFound):
        studio_profile_for_scan(owner.organization, pid)
