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
        assert dutch.status_code == 410 and dutch["Content-Language"] == "nl"  # withdrawn, not unknown
        body = dutch.content.decode()
        assert "Dit rapport is niet beschikbaar" in body and "data-share-revoked" in body
        assert "ingetrokken" in body
        assert not any(marker in body for marker in DEBUG_MARKERS)
    english = client.get(reverse("portal:share", args=[token]), {"lang": "en"})
    assert english.status_code == 410 and "has withdrawn this link" in english.content.decode()


def test_a_reshared_scan_keeps_its_old_link_withdrawn(completed_scan):
    old = services.scan_share(scan=completed_scan).share_token
    services.scan_unshare(scan=completed_scan)
    new = services.scan_share(scan=completed_scan).share_token
    assert new != old
    assert Client().get(reverse("portal:share", args=[new])).status_code == 200
    assert Client().get(reverse("portal:share", args=[old])).status_code == 410


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_link_is_a_404_that_says_so(settings, debug):
    settings.DEBUG = debug
    response = Client().get(reverse("portal:share", args=["no-such-token"]))
    body = response.content.decode()
    assert response.status_code == 404 and "data-share-gone" in body and "data-share-revoked" not in body
    assert not any(marker in body for marker in DEBUG_MARKERS)


def test_the_api_tells_a_withdrawn_link_from_an_unknown_one(completed_scan):
    token = services.scan_share(scan=completed_scan).share_token
    services.scan_unshare(scan=completed_scan)
    withdrawn = Client().get(f"/v1/scans/shared/{token}")
    assert withdrawn.status_code == 410 and withdrawn.json()["code"] == "gone"
    assert Client().get("/v1/scans/shared/no-such-token").status_code == 404


@pytest.mark.parametrize("path", ["/no-such-page/", "/dossiers/x/no-such-tab/", "/s/"])
def test_unmatched_url_with_debug_on_is_the_products_404(settings, path):
    settings.DEBUG = True
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="nl")
    body = response.content.decode()
    assert response.status_code == 404 and "Pagina niet gevonden" in body
    assert not any(marker in body for marker in DEBUG_MARKERS)


def test_slash_redirect_still_comes_first_with_debug_on(settings, owner_client):
    settings.DEBUG = True
    assert owner_client.get("/dossiers").status_code == 301


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


def test_api_problem_titles_follow_the_callers_language():
    """The problem title is translated like the detail (RFC 9457 §3.1.4 allows a localised title)."""
    english = Client().get("/v1/scans/shared/no-such-token")
    dutch = Client().get("/v1/scans/shared/no-such-token", HTTP_ACCEPT_LANGUAGE="nl")
    assert english.json()["title"] == "Not found" and dutch.json()["title"] == "Niet gevonden"
