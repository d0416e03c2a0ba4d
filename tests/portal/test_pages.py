"""Every portal page renders for the owner; another organization's objects answer 404."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.portal.helpers import LIST_PAGES

pytestmark = pytest.mark.django_db


def object_urls(dossier, member, owner_key, endpoint):
    return [
        reverse("portal:dossier_detail", args=[dossier.pk]),
        reverse("portal:dossier_edit", args=[dossier.pk]),
        reverse("portal:dossier_delete", args=[dossier.pk]),
        reverse("portal:member_edit", args=[member.membership.pk]),
        reverse("portal:member_remove", args=[member.membership.pk]),
        reverse("portal:api_key_revoke", args=[owner_key.pk]),
        reverse("portal:webhook_delete", args=[endpoint.pk]),
    ]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_every_list_page_renders_for_the_owner(owner_client, owner, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    assert escape(owner.organization.name) in response.content.decode()


def test_every_object_page_renders_for_the_owner(owner_client, dossier, member, owner_key, endpoint):
    for url in object_urls(dossier, member, owner_key, endpoint):
        assert owner_client.get(url).status_code == 200, url


def test_auth_pages_render_anonymously(client):
    for name in ["portal:login", "portal:password_reset", "portal:password_reset_done"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("portal:dossier_index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_outsider_gets_404_on_every_object_page(outsider_client, dossier, member, owner_key, endpoint):
    for url in object_urls(dossier, member, owner_key, endpoint):
        assert outsider_client.get(url).status_code == 404, url
        assert outsider_client.post(url, {"role": "member"}).status_code == 404, url
    toggle = reverse("portal:webhook_toggle", args=[endpoint.pk])
    assert outsider_client.post(toggle).status_code == 404
    endpoint.refresh_from_db()
    owner_key.refresh_from_db()
    assert endpoint.active and owner_key.is_active
    assert dossier.__class__.objects.filter(pk=dossier.pk).exists()
    assert member.membership.__class__.objects.filter(pk=member.membership.pk).exists()


def test_outsider_lists_show_only_their_own_organization(outsider_client, dossier, member, endpoint):
    pages = [reverse(name) for name in LIST_PAGES]
    for url in pages:
        body = outsider_client.get(url).content.decode()
        assert "Familie de Vries" not in body
        assert "member@zon.test" not in body
        assert "crm.example" not in body
        assert "Zon &amp; Co" not in body


def test_user_without_organization_gets_404(django_user_model, client):
    user = django_user_model.objects.create_user(email="lonely@example.test", password="x-long-password")
    client.force_login(user)
    assert client.get(reverse("portal:dashboard")).status_code == 404
