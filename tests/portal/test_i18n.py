"""Dutch by default; the language switch (Django's set_language) renders the portal in English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dutch_by_default_and_english_after_the_switch(owner_client):
    body = owner_client.get(reverse("portal:dashboard")).content.decode()
    assert '<html lang="nl">' in body
    assert "Instellingen" in body and "Recente dossiers" in body

    response = owner_client.post(
        reverse("portal:set_language"), {"language": "en", "next": reverse("portal:dossier_index")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:dossier_index")

    body = owner_client.get(reverse("portal:dashboard")).content.decode()
    assert '<html lang="en">' in body
    assert "Settings" in body and "Recent dossiers" in body and "Instellingen" not in body

    owner_client.post(reverse("portal:set_language"), {"language": "nl"})
    assert "Instellingen" in owner_client.get(reverse("portal:dashboard")).content.decode()


def test_login_page_is_dutch_with_an_english_switch(client):
    body = client.get(reverse("portal:login")).content.decode()
    assert "Inloggen" in body and 'value="en"' in body
