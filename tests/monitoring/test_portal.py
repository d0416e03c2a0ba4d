"""The dossier page's production section, the dashboard's alert list and the installed-system form."""

import datetime as dt

import pytest
from django.test import Client

from apps.dossiers.services import dossier_create
from apps.monitoring import services
from apps.monitoring.models import InstalledDesign
from tests.monitoring.support import DE_BILT, ROOF, roof_expected, store_inverter_readings, typical_readings

UTC = dt.UTC


def _client(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


@pytest.fixture
def dossier(owner):
    return dossier_create(
        organization=owner.organization, customer_name="Fam. Smit", latitude=DE_BILT[0], longitude=DE_BILT[1]
    )


@pytest.fixture
def underperforming(dossier):
    """Installed March 2025, 20 % short from May; readings through June."""
    readings = typical_readings(
        roof_expected(),
        dt.datetime(2025, 2, 28, 23, tzinfo=UTC),
        dt.datetime(2025, 6, 30, 23, tzinfo=UTC),
        lambda h: 0.8 if h.month >= 5 else 1.0,
    )
    store_inverter_readings(dossier, readings)
    services.installed_design_save(dossier=dossier, install_date=dt.date(2025, 3, 1), arrays=[ROOF])
    return dossier


def test_dossier_page_shows_chart_table_and_alert(owner, underperforming):
    page = _client(owner).get(f"/dossiers/{underperforming.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "data-performance" in html and "<svg" in html
    assert 'data-month="2025-05"' in html and 'data-month="2025-03"' in html
    assert "data-performance-alert" in html and "since May 2025" in html


def test_dashboard_lists_alerts_of_the_own_organization_only(owner, outsider, underperforming):
    assert "data-performance-alerts" in _client(owner).get("/").content.decode()
    assert "data-performance-alerts" not in _client(outsider).get("/").content.decode()


def test_form_by_hand_and_tenant_wall(owner, member, outsider, dossier):
    url = f"/dossiers/{dossier.pk}/installed-system/"
    assert _client(outsider).get(url).status_code == 404
    assert _client(member).get(url).status_code == 200
    form = {
        "install_date": "2025-04-01",
        "arrays-TOTAL_FORMS": "2",
        "arrays-INITIAL_FORMS": "0",
        "arrays-MIN_NUM_FORMS": "1",
        "arrays-MAX_NUM_FORMS": "8",
        "arrays-0-panel_count": "12",
        "arrays-0-panel_power_watts": "430",
        "arrays-0-tilt_deg": "35",
        "arrays-0-azimuth_deg": "180",
        "arrays-0-losses_pct": "14",
        "arrays-1-losses_pct": "14",  # the empty extra row as the page renders it
    }
    assert _client(outsider).post(url, form).status_code == 404
    response = _client(owner).post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    design = InstalledDesign.objects.get(dossier=dossier)
    assert design.kwp == pytest.approx(5.16) and len(design.arrays) == 1 and design.battery is None
    # a tilt of 95° is refused, naming the field
    bad = {**form, "arrays-0-tilt_deg": "95"}
    response = _client(owner).post(url, bad, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and html.count("has-error") == 1
    assert "less than or equal to 90" in html
    assert InstalledDesign.objects.get(dossier=dossier).arrays[0]["tilt_deg"] == 35


def test_dossier_section_in_dutch(owner, underperforming):
    html = _client(owner).get(f"/dossiers/{underperforming.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Opbrengst: verwacht tegenover gemeten" in html
    assert "onder verwachting sinds mei 2025" in html
