"""The homeowner's page speaks to a homeowner: method names, tolerances and the engine version are in the
installer's "technical details" only; the share page and its PDF context keep the household assumptions."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.reports.context import report_context
from apps.scans import services

pytestmark = pytest.mark.django_db

TECHNICAL_NL = ("Dimensioneringsmethode", "Rekenmodelversie", "Tolerantie zelfvoorziening")


def test_share_page_has_no_technical_details_but_the_household_assumptions(completed_scan):
    token = services.scan_share(scan=completed_scan).share_token
    body = Client().get(reverse("portal:share", args=[token])).content.decode()
    assert "data-technical-details" not in body
    assert completed_scan.report["assumptions"]["engineVersion"] not in body
    assert "Sizing method" not in body and not any(word in body for word in TECHNICAL_NL)
    # What matters to a household stays: prices, escalation, weather, lifetime (Dutch labels).
    for label in (
        "Stroomprijs, gemiddeld in jaar 1",
        "Stijging stroomprijs",
        "Weer",
        "Levensduur zonnepanelen",
    ):
        assert label in body, label


def test_installer_sees_the_technical_details(owner_client, completed_scan):
    body = owner_client.get(reverse("portal:scan_detail", args=[completed_scan.pk])).content.decode()
    assert "data-technical-details" in body
    assert completed_scan.report["assumptions"]["engineVersion"] in body


def test_pdf_context_has_the_technical_rows_apart(completed_scan):
    context = report_context(completed_scan, with_charts=False)
    titles = [str(title) for title, _ in context["assumption_groups"]]
    assert "technical" not in titles
    labels = [str(label) for label, _ in context["technical_details"]]
    assert any("version" in label.lower() or "versie" in label.lower() for label in labels)
