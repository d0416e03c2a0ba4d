"""A walk over the main portal and homeowner pages in Dutch that fails on English leftovers it knows of
and on English number and date formats (4.2 kWp, 30 Nov 2026, ISO dates) in the visible text."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from apps.scans import services
from tests.portal.helpers import english_leftovers

pytestmark = pytest.mark.django_db


class _VisibleText(HTMLParser):
    """The text a visitor reads: no scripts, styles, templates, code or SVG internals."""

    SKIP = {"script", "style", "template", "code", "svg", "textarea", "select"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def test_main_dutch_pages_have_no_known_english_leftovers(owner_client, dossier, completed_scan):
    token = services.scan_share(scan=completed_scan).share_token
    pages = {
        "dashboard": reverse("portal:dashboard"),
        "dossiers": reverse("portal:dossier_index"),
        "dossier": reverse("portal:dossier_detail", args=[dossier.pk]),
        "new dossier": reverse("portal:dossier_new"),
        "scan form": reverse("portal:scan_new", args=[dossier.pk]),
        "report": reverse("portal:scan_detail", args=[completed_scan.pk]),
        "settings": reverse("portal:settings"),
    }
    problems = {}
    for name, url in pages.items():
        response = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200, name
        found = english_leftovers(visible_text(response.content.decode()))
        if found:
            problems[name] = found
    share = Client().get(reverse("portal:share", args=[token]))
    found = english_leftovers(visible_text(share.content.decode()))
    if found:
        problems["share page"] = found
    assert problems == {}, problems


def test_the_walk_catches_english():
    # The checker itself: each kind of leftover it knows is caught.
    text = visible_text(
        "<p>Dimensionering: built-in reference year, 4.2 kWp, 30 Nov 2026, 2026-11-30, € 1,234</p>"
        "<script>var ok = 'Payback 4.2 kWp';</script>"
    )
    assert english_leftovers(text) == [
        "built-in reference year",
        "4.2 kWp",
        "30 Nov",
        "2026-11-30",
        "€ 1,234",
    ]


DUTCH_IN_ENGLISH = ("Besparing per jaar", "Terugverdientijd", "Aannames", "Instellingen", "Zonder batterij")


def test_english_pages_have_no_dutch_leftovers(owner_client, dossier, completed_scan):
    owner_client.post(reverse("portal:set_language"), {"language": "en"})
    token = services.scan_share(scan=completed_scan).share_token
    bodies = [
        owner_client.get(reverse("portal:scan_detail", args=[completed_scan.pk])).content.decode(),
        owner_client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode(),
        Client().get(reverse("portal:share", args=[token]), {"lang": "en"}).content.decode(),
    ]
    for body in bodies:
        text = visible_text(body)
        assert '<html lang="en">' in body
        assert [word for word in DUTCH_IN_ENGLISH if word in text] == []
        assert not re.search(r"€\s?[1-9]\d{0,2}\.\d{3}(?!\d)", text)  # € 1.234 is Dutch grouping
