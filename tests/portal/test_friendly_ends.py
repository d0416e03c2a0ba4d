"""Friendly ends: a revoked or unknown share link shows the homeowner a short page of the product's own in
their language, with DEBUG on too (never Django's debug page listing the site's URLs); 404 and 500 pages
of the portal are the product's own."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.scans import services

pytestmark = pytest.mark.django_db

DEBUG_MARKERS = ("Using the URLconf", "technical_404", "Django tried these URL patterns")


@pytest.mark.parametrize("debug", [True, False])
def test_revoked_link_is_a_short_page_in_the_visitors_language(settings, completed_scan, debug):
    settings.DEBUG = debug
    token = services.scan_share(scan=completed_scan).share_token
    services.scan_unshare(scan=completed_scan)
    client = Client()
    for url in (reverse("portal:share", args=[token]), reverse("portal:share_pdf", args=[token])):
        dutch = client.get(url)
        assert dutch.status_code == 404 and dutch["Content-Language"] == "nl"
        body = dutch.content.decode()
        assert "Dit rapport is niet beschikbaar" in body and "data-share-gone" in body
        assert not any(marker in body for marker in DEBUG_MARKERS)
    english = client.get(reverse("portal:share", args=[token]), {"lang": "en"})
    assert english.status_code == 404 and "This report is not available" in english.content.decode()


def test_unknown_link_gets_the_same_page(settings):
    settings.DEBUG = True
    response = Client().get(reverse("portal:share", args=["no-such-token"]))
    assert response.status_code == 404 and "data-share-gone" in response.content.decode()


def test_portal_404_and_500_pages_are_the_products(settings, owner_client):
    settings.DEBUG = False
    missing = owner_client.get("/dossiers/doesnotexist/", HTTP_ACCEPT_LANGUAGE="nl")
    assert missing.status_code == 404 and "Pagina niet gevonden" in missing.content.decode()
    from django.test import RequestFactory

    from apps.common.views import server_error

    with translation.override("nl"):
        error = server_error(RequestFactory().get("/dossiers/"))
    assert (
        error.status_code == 500 and "Er ging iets mis" in error.content.decode()
    )  # nl is the default language


def test_portal_404_is_the_products_own_with_debug_on(settings, owner_client, outsider):
    from apps.dossiers.services import dossier_create

    settings.DEBUG = True
    foreign = dossier_create(organization=outsider.organization, customer_name="Buren")
    response = owner_client.get(
        reverse("portal:dossier_detail", args=[foreign.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    )
    body = response.content.decode()
    assert response.status_code == 404 and "Pagina niet gevonden" in body
    assert not any(marker in body for marker in DEBUG_MARKERS) and "Buren" not in body
