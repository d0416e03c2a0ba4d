"""The studio editor of a meter profile with export: it asks for a solar layer, then shows what was measured
and what was reconstructed — in the portal's language."""

import numpy as np
import pytest
from django.urls import reverse

from apps.studio import services

HOURS = 8760


@pytest.fixture
def meter_profile(owner):
    # A flat 0.5 kWh import every hour and 0.4 kWh export in the 12:00 hour: 4,380 kWh bought, 146 exported.
    imp = np.full(HOURS, 0.5)
    exp = np.zeros(HOURS)
    exp[12::24] = 0.4
    profile = services.profile_create(organization=owner.organization, name="Meter", year=2025)
    return services.profile_save_state(
        profile=profile,
        studio_state={
            "base_profile": {"type": "upload", "data": imp.tolist(), "export_data": exp.tolist()},
            "layers": [],
        },
    )


def _page(client, profile, language):
    client.cookies["django_language"] = language
    url = reverse("portal:studio_detail", args=[profile.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_meter_profile_with_export_asks_for_a_solar_layer(owner_client, meter_profile):
    assert "add a solar layer describing the existing panels" in _page(owner_client, meter_profile, "en")
    assert "voeg een zonnelaag toe" in _page(owner_client, meter_profile, "nl")


def test_solar_layer_shows_measured_and_reconstructed_figures(owner_client, meter_profile):
    services.layer_add(profile=meter_profile, preset_id="solar")
    meter_profile.refresh_from_db()
    rec = meter_profile.reconstruction
    # Measured totals as uploaded: 0.5 × 8760 = 4,380 kWh and 0.4 × 365 = 146 kWh.
    assert rec["measured_import_kwh"] == pytest.approx(4380.0, abs=0.1)
    assert rec["measured_export_kwh"] == pytest.approx(146.0, abs=0.1)
    # Gross = import + production − export (the default 4.3 kWp layer's production, reconciled).
    assert rec["gross_kwh"] == pytest.approx(4380.0 + rec["production_kwh"] - 146.0, abs=0.5)
    body = _page(owner_client, meter_profile, "nl")
    assert "Gemeten afname" in body and "Gereconstrueerd verbruik" in body
    assert "4.380" in body  # Dutch thousands separator
    assert "voeg een zonnelaag toe" not in body


def test_report_shows_the_home_today(owner, owner_client, meter_profile):
    import dramatiq

    from apps.scans.jobs import run_scan
    from apps.scans.models import Scan

    services.layer_add(profile=meter_profile, preset_id="solar")
    dramatiq.get_broker().flush_all()
    response = owner.key_client().post(
        "/v1/scans",
        {
            "location": {"lat": 52.09, "lon": 5.12},
            "inputMethod": "studio",
            "customProfileId": meter_profile.pk,
            "newPv": [{"maxPanelCount": 4, "panelPowerWatts": 430, "tiltAngle": 35, "orientationAngle": 90}],
        },
        format="json",
    )
    dramatiq.get_broker().flush_all()
    assert response.status_code == 201, response.content
    run_scan.fn(response.json()["id"])
    scan = Scan.objects.get(pk=response.json()["id"])
    assert scan.status == "completed", scan.error_message
    owner_client.cookies["django_language"] = "nl"
    body = owner_client.get(reverse("portal:scan_detail", args=[scan.pk]), HTTP_ACCEPT_LANGUAGE="nl").content
    body = body.decode()
    assert "Uw woning nu" in body and "Afgenomen van het net" in body
    assert "4.380 kWh" in body  # the measured import, 0.5 × 8760, in Dutch notation


def test_parser_notes_in_the_portal_language(owner_client, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.portal.helpers import generic_meter_csv

    profile = services.profile_create(organization=owner.organization, name="Upload", year=2025)
    owner_client.cookies["django_language"] = "nl"
    upload = SimpleUploadedFile("meter.csv", generic_meter_csv(), content_type="text/csv")
    url = reverse("portal:studio_base_upload", args=[profile.pk])
    assert owner_client.post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="nl").status_code == 302
    body = _page(owner_client, profile, "nl")
    # Ten days of data: the rest of the year is completed, and the note says so in Dutch.
    assert "Het bestand beslaat 10.0 van de 365 dagen" in body
