"""Scans in the portal: the form through the API's serializer, the scan page, the report, sharing, the
public share page, PDF, adjustments, and tenant isolation (another organization sees 404 everywhere)."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.scans.models import Scan
from tests.portal.helpers import scan_form_post

pytestmark = pytest.mark.django_db


def test_new_scan_form_is_prefilled_from_the_dossier(owner_client, dossier):
    response = owner_client.get(reverse("portal:scan_new", args=[dossier.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="location.lat" value="52.09"' in body
    assert 'name="newPv.0.maxPanelCount"' in body
    assert '<template data-row-template="existingPv">' in body


def test_submit_creates_the_scan_and_redirects(
    owner_client, owner, dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(reverse("portal:scan_new", args=[dossier.pk]), scan_form_post())
    scan = Scan.objects.get(organization=owner.organization)
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:scan_detail", args=[scan.pk]
    )
    assert scan.dossier == dossier
    assert scan.inputs["new_pv"][0]["max_panel_count"] == 12
    assert scan.inputs["electric_battery"]["capacity_kwh"] == 10
    assert scan.inputs["tariff"]["flat_eur_per_kwh"] == 0.28
    page = owner_client.get(response["Location"])
    assert b"data-scan-status-url" in page.content
    status = owner_client.get(reverse("portal:scan_status", args=[scan.pk])).json()
    assert status["status"] == "processing"


def test_serializer_errors_land_next_to_their_row_fields(owner_client, owner, dossier):
    data = scan_form_post(
        **{
            "newPv.1.maxPanelCount": "4",
            "newPv.1.panelPowerWatts": "400",
            "newPv.1.tiltAngle": "120",
            "newPv.1.orientationAngle": "180",
            "yearlyExportKwh": "500",
            "yearlyKwh": "",
        }
    )
    response = owner_client.post(reverse("portal:scan_new", args=[dossier.pk]), data)
    assert response.status_code == 400
    assert 'id="f-newPv-1-tiltAngle-errors"' in response.content.decode()
    # Cross-field rules (run once the fields themselves are valid) land next to their fields too.
    data["newPv.1.tiltAngle"] = "20"
    response = owner_client.post(reverse("portal:scan_new", args=[dossier.pk]), data)
    body = response.content.decode()
    assert 'id="f-yearlyKwh-errors"' in body
    assert 'id="f-yearlyExportKwh-errors"' in body
    assert not Scan.objects.filter(organization=owner.organization).exists()


def test_removed_middle_row_is_renumbered(owner_client, owner, dossier, django_capture_on_commit_callbacks):
    data = scan_form_post(
        **{
            "newPv.2.maxPanelCount": "4",
            "newPv.2.panelPowerWatts": "400",
            "newPv.2.tiltAngle": "20",
            "newPv.2.orientationAngle": "90",
        }
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(reverse("portal:scan_new", args=[dossier.pk]), data)
    assert response.status_code == 302
    scan = Scan.objects.get(organization=owner.organization)
    assert [a["orientation_angle"] for a in scan.inputs["new_pv"]] == [180, 90]


def test_quota_refusal_is_shown_in_words(outsider, django_capture_on_commit_callbacks):
    from django.test import Client

    from apps.dossiers.services import dossier_create

    organization = outsider.organization
    organization.monthly_scan_quota = 0
    organization.save()
    client = Client()
    client.force_login(outsider.user)
    dossier = dossier_create(organization=organization, customer_name="X", latitude=52.1, longitude=5.1)
    response = client.post(reverse("portal:scan_new", args=[dossier.pk]), scan_form_post())
    assert response.status_code == 400
    assert "free plan" in response.content.decode()


def test_error_state_shows_the_message(owner_client, owner, dossier):
    from tests.scans.conftest import make_scan

    scan = make_scan(owner.organization, status=Scan.Status.ERROR, error_message="The goal cannot be met.")
    response = owner_client.get(reverse("portal:scan_detail", args=[scan.pk]))
    assert "The goal cannot be met." in response.content.decode()


def test_report_renders_kpis_charts_comparison_and_assumptions(owner_client, completed_scan):
    response = owner_client.get(reverse("portal:scan_detail", args=[completed_scan.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 6  # monthly, summer, winter, battery, cashflow, CO2 (+ brand mark)
    for key in ("monthly", "summer_day", "winter_day", "battery", "cashflow", "co2"):
        assert key in response.context["charts"]
    assert "Discount rate" in body or "Discontovoet" in body
    assert len(response.context["scenarios"]) == 2
    assert "€" in body


def test_numbers_are_formatted_per_locale(owner_client, completed_scan):
    from django.utils import translation

    from apps.reports.svg import fmt

    with translation.override("nl"):
        assert fmt(1234.56, 2) == "1.234,56"
    with translation.override("en"):
        assert fmt(1234.56, 2) == "1,234.56"


def test_share_flow_public_page_viewed_and_revoke(owner_client, completed_scan, client):
    response = owner_client.post(reverse("portal:scan_share", args=[completed_scan.pk]))
    assert response.status_code == 302
    completed_scan.refresh_from_db()
    token = completed_scan.share_token
    assert token
    page = client.get(reverse("portal:share", args=[token]))
    assert page.status_code == 200
    assert page["Content-Language"] == "nl"
    assert "Zon &amp; Co" in page.content.decode()
    completed_scan.refresh_from_db()
    assert completed_scan.has_seen_report
    english = client.get(reverse("portal:share", args=[token]), {"lang": "en"})
    assert english["Content-Language"] == "en" and b"Your solar report" in english.content
    detail = owner_client.get(reverse("portal:dossier_detail", args=[completed_scan.dossier_id]))
    assert "pill-ok" in detail.content.decode()
    listed = detail.context["scans"][0]
    assert listed.yearly_savings == completed_scan.report["overview"]["kpi"]["yearly_savings"]
    owner_client.post(reverse("portal:scan_unshare", args=[completed_scan.pk]))
    assert (
        client.get(reverse("portal:share", args=[token])).status_code == 410
    )  # withdrawn: the homeowner is told so


def test_sharing_refused_on_free_plan_in_words(owner, completed_scan, owner_client):
    organization = owner.organization
    organization.plan = "free"
    organization.save()
    response = owner_client.post(reverse("portal:scan_share", args=[completed_scan.pk]), follow=True)
    assert "paid plan" in response.content.decode() or "betaalde" in response.content.decode()
    completed_scan.refresh_from_db()
    assert completed_scan.share_token is None


def test_pdf_download(owner_client, completed_scan):
    response = owner_client.get(reverse("portal:scan_pdf", args=[completed_scan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_adjust_only_allowed_steps_and_compare(
    owner, owner_client, completed_scan, django_capture_on_commit_callbacks
):
    organization = owner.organization
    organization.adjustable_steps = ["battery", "goal"]
    organization.save()
    url = reverse("portal:scan_adjust", args=[completed_scan.pk])
    page = owner_client.get(url).content.decode()
    assert "section-location" in page and "disabled" in page
    data = {
        "batteryEnabled": "on",
        "electricBattery.capacityKwh": "5",
        "electricBattery.powerRatingKw": "3",
        "goal": "cost-savings",
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    adjustment = Scan.objects.get(copied_from=completed_scan)
    assert adjustment.inputs["electric_battery"]["capacity_kwh"] == 5
    assert adjustment.inputs["location"] == completed_scan.inputs["location"]
    compare = owner_client.get(reverse("portal:scan_compare", args=[completed_scan.pk]))
    assert compare.status_code == 200 and len(compare.context["columns"]) == 2
    assert all(not row["cells"][0]["changed"] for row in compare.context["rows"])
    assert any(row["cells"][1]["changed"] for row in compare.context["rows"])


def test_dashboard_shows_usage_and_recent_scans(owner_client, completed_scan):
    response = owner_client.get(reverse("portal:dashboard"))
    assert response.context["usage"].used == 0  # the quota counter only counts on free plans
    assert response.context["scans_this_month"] == 1
    assert list(response.context["recent_scans"])[0].pk == completed_scan.pk


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("scan_detail", "get"),
        ("scan_status", "get"),
        ("scan_share", "post"),
        ("scan_unshare", "post"),
        ("scan_pdf", "get"),
        ("scan_adjust", "get"),
        ("scan_adjust", "post"),
        ("scan_compare", "get"),
    ],
)
def test_outsider_gets_404(outsider_client, completed_scan, name, method):
    response = getattr(outsider_client, method)(reverse(f"portal:{name}", args=[completed_scan.pk]))
    assert response.status_code == 404


def test_outsider_gets_404_on_the_form(outsider_client, dossier):
    assert outsider_client.get(reverse("portal:scan_new", args=[dossier.pk])).status_code == 404
    assert (
        outsider_client.post(reverse("portal:scan_new", args=[dossier.pk]), scan_form_post()).status_code
        == 404
    )


def test_the_installer_opening_their_own_link_is_not_a_view(owner_client, completed_scan):
    owner_client.post(reverse("portal:scan_share", args=[completed_scan.pk]))
    completed_scan.refresh_from_db()
    assert owner_client.get(reverse("portal:share", args=[completed_scan.share_token])).status_code == 200
    completed_scan.refresh_from_db()
    assert not completed_scan.has_seen_report


def test_share_logo_is_served_through_the_token(owner, completed_scan, client, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    from apps.scans import services

    organization = owner.organization
    organization.branding_enabled = True
    organization.branding_logo.save("logo.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    services.scan_share(scan=completed_scan)
    response = client.get(reverse("portal:share_logo", args=[completed_scan.share_token]))
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    page = client.get(reverse("portal:share", args=[completed_scan.share_token])).content.decode()
    assert reverse("portal:share_logo", args=[completed_scan.share_token]) in page
    services.scan_unshare(scan=completed_scan)
    assert client.get(reverse("portal:share_logo", args=["nope"])).status_code == 404


def test_report_says_how_the_figures_change_in_a_sunny_and_a_dull_year(owner_client, completed_scan):
    # The sentence is built from the stored year_spread block (2022 sunniest, 2021 dullest of the KNMI
    # years); the homeowner reads it in Dutch by default.
    from apps.portal.templatetags.portal import eur

    spread = completed_scan.report["year_spread"]
    body = owner_client.get(reverse("portal:scan_detail", args=[completed_scan.pk])).content.decode()
    with translation.override("nl"):
        sunny = eur(spread["sunny_year"]["yearly_savings"])
    assert f"In een zonnig jaar als 2022 bespaart u {sunny} in het eerste jaar" in body
    assert "in een somber jaar als 2021" in body
    assert "gemeten door het KNMI in De Bilt" in body
    # The assumptions name the measured weather year and the years compared.
    assert "KNMI De Bilt uurmetingen van 2023, overgezet naar dit adres" in body
    assert "Vergeleken weerjaren" in body and "2021, 2022, 2023, 2024" in body
    for year in spread["weather_years"]:
        assert f'<th scope="row">{year["weather_year"]}</th>' in body
