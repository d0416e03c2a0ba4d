"""Log in, log out and password reset with the portal's own templates."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.organizations.services import membership_add

pytestmark = pytest.mark.django_db


def test_login_redirects_to_the_dashboard_and_logout_back(client, owner):
    response = client.post(
        reverse("portal:login"), {"username": "owner@zon.test", "password": "pw-owner-123"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).status_code == 200
    response = client.post(reverse("portal:logout"))
    assert response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_wrong_password_shows_an_error(client, owner):
    response = client.post(reverse("portal:login"), {"username": "owner@zon.test", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_password_reset_mails_a_portal_link(client, owner):
    response = client.post(reverse("portal:password_reset"), {"email": "owner@zon.test"})
    assert response["Location"] == reverse("portal:password_reset_done")
    assert len(mail.outbox) == 1 and "/password-reset/" in mail.outbox[0].body


def test_an_invited_user_without_a_password_can_ask_for_a_new_link(client, owner):
    membership_add(organization=owner.organization, email="invited@zon.test")
    client.post(reverse("portal:password_reset"), {"email": "invited@zon.test"})
    assert len(mail.outbox) == 1


def test_unknown_address_sends_nothing_but_looks_the_same(client, db):
    response = client.post(reverse("portal:password_reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("portal:password_reset_done")
    assert mail.outbox == []


def test_not_found_page_uses_the_portal_layout(outsider_client, dossier):
    response = outsider_client.get(reverse("portal:dossier_detail", args=[dossier.pk]))
    assert response.status_code == 404
    assert "Concurrent BV" in response.content.decode()  # the outsider's own header, not the owner's data
    assert "Familie de Vries" not in response.content.decode()
