"""Organization settings: role checks (403 for plain members), keys shown once, branding, webhooks, members."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.organizations.models import ApiKey, Membership, WebhookEndpoint

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_member_gets_403_on_every_settings_change(member_client, owner, member, owner_key, endpoint):
    posts = {
        reverse("portal:member_invite"): {"email": "new@zon.test", "role": "member"},
        reverse("portal:member_edit", args=[owner.membership.pk]): {"role": "member"},
        reverse("portal:member_remove", args=[owner.membership.pk]): {},
        reverse("portal:api_key_new"): {"name": "sneaky"},
        reverse("portal:api_key_revoke", args=[owner_key.pk]): {},
        reverse("portal:branding"): {"display_name": "Hacked", "color": "#000000"},
        reverse("portal:webhook_new"): {"url": "https://evil.example", "events": ["scan.completed"]},
        reverse("portal:webhook_toggle", args=[endpoint.pk]): {},
        reverse("portal:webhook_delete", args=[endpoint.pk]): {},
    }
    for url, data in posts.items():
        assert member_client.post(url, data).status_code == 403, url
    for url in [
        reverse("portal:member_edit", args=[owner.membership.pk]),
        reverse("portal:api_key_revoke", args=[owner_key.pk]),
        reverse("portal:webhook_delete", args=[endpoint.pk]),
    ]:
        assert member_client.get(url).status_code == 403, url
    owner.membership.refresh_from_db()
    owner_key.refresh_from_db()
    endpoint.refresh_from_db()
    owner.organization.refresh_from_db()
    assert owner.membership.role == Membership.Role.OWNER
    assert owner_key.is_active and endpoint.active
    assert owner.organization.branding_display_name == ""
    assert not Membership.objects.filter(user__email="new@zon.test").exists()
    assert ApiKey.objects.filter(organization=owner.organization).count() == 2
    assert WebhookEndpoint.objects.filter(organization=owner.organization).count() == 1


def test_member_sees_settings_read_only(member_client):
    body = member_client.get(reverse("portal:api_key_index")).content.decode()
    assert reverse("portal:api_key_new") not in body
    body = member_client.get(reverse("portal:member_index")).content.decode()
    assert reverse("portal:member_invite") not in body


def test_api_key_is_shown_once_then_only_its_prefix(owner_client, owner):
    response = owner_client.post(reverse("portal:api_key_new"), {"name": "CRM"}, follow=True)
    assert response.status_code == 200
    api_key = ApiKey.objects.get(organization=owner.organization, name="CRM")
    raw = response.context["raw_key"]
    assert raw.startswith(f"ssk_{api_key.prefix}_")
    assert raw in response.content.decode()
    # the key works for the API
    assert owner.key_client().get("/v1/dossiers", HTTP_X_API_KEY=raw).status_code == 200
    again = owner_client.get(reverse("portal:api_key_created"))
    assert again.status_code == 302
    listing = owner_client.get(reverse("portal:api_key_index")).content.decode()
    assert raw not in listing
    assert f"ssk_{api_key.prefix}_" in listing


def test_api_key_revoke(owner_client, owner_key):
    response = owner_client.post(reverse("portal:api_key_revoke", args=[owner_key.pk]))
    assert response.status_code == 302
    owner_key.refresh_from_db()
    assert not owner_key.is_active


def test_api_key_requires_a_name(owner_client):
    response = owner_client.post(reverse("portal:api_key_new"), {"name": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize(
    "name, content, ok",
    [
        ("logo.png", PNG, True),
        ("logo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, True),
        ("logo.svg", SVG, True),
        ("logo.gif", b"GIF89a" + b"\x00" * 64, False),
        ("logo.png", b"not really a png", False),
        ("logo.svg", b'<svg onload="alert(1)"></svg>', False),
        ("logo.svg", b"<svg><script>alert(1)</script></svg>", False),
        ("big.png", PNG + b"\x00" * (1024 * 1024), False),
    ],
)
def test_branding_logo_validation(owner_client, owner, name, content, ok):
    data = {
        "enabled": "on",
        "display_name": "Zon Installaties",
        "color": "#ff8800",
        "logo": SimpleUploadedFile(name, content),
    }
    response = owner_client.post(reverse("portal:branding"), data)
    owner.organization.refresh_from_db()
    if ok:
        assert response.status_code == 302
        assert owner.organization.branding_logo.name.startswith("branding/")
        assert owner.organization.branding_enabled
        assert owner.organization.branding_color == "#ff8800"
    else:
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
        assert not owner.organization.branding_logo


def test_branding_rejects_a_bad_colour_and_can_remove_the_logo(owner_client, owner):
    response = owner_client.post(reverse("portal:branding"), {"color": "red"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    owner_client.post(
        reverse("portal:branding"), {"color": "#123456", "logo": SimpleUploadedFile("a.png", PNG)}
    )
    owner.organization.refresh_from_db()
    assert owner.organization.branding_logo
    owner_client.post(reverse("portal:branding"), {"color": "#123456", "remove_logo": "on"})
    owner.organization.refresh_from_db()
    assert not owner.organization.branding_logo


def test_webhook_secret_shown_once_toggle_and_delete(owner_client, owner):
    response = owner_client.post(
        reverse("portal:webhook_new"),
        {"url": "https://crm.example/in", "events": ["scan.completed", "share.viewed"]},
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get(organization=owner.organization)
    assert endpoint.events == ["scan.completed", "share.viewed"]
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in owner_client.get(reverse("portal:webhook_index")).content.decode()
    assert owner_client.get(reverse("portal:webhook_created")).status_code == 302

    owner_client.post(reverse("portal:webhook_toggle", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.active
    owner_client.post(reverse("portal:webhook_toggle", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.active

    assert owner_client.post(reverse("portal:webhook_delete", args=[endpoint.pk])).status_code == 302
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_webhook_needs_a_url_and_an_event(owner_client):
    response = owner_client.post(reverse("portal:webhook_new"), {"url": "not a url"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"url", "events"}


def test_invite_creates_user_and_sends_a_set_password_link(owner_client, owner):
    response = owner_client.post(reverse("portal:member_invite"), {"email": "New@Zon.test", "role": "admin"})
    assert response.status_code == 302
    membership = Membership.objects.get(organization=owner.organization, user__email="new@zon.test")
    assert membership.role == "admin"
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    # The link leads to the set-password form, which sets the password.
    client = Client()
    response = client.get(link.split("testserver", 1)[1], follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "zonnig-dak-2026", "new_password2": "zonnig-dak-2026"},
    )
    assert response.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.check_password("zonnig-dak-2026")


def test_invite_refuses_an_existing_member(owner_client, member):
    response = owner_client.post(
        reverse("portal:member_invite"), {"email": "member@zon.test", "role": "member"}
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


def test_change_role_and_remove_member(owner_client, member):
    url = reverse("portal:member_edit", args=[member.membership.pk])
    assert owner_client.post(url, {"role": "admin"}).status_code == 302
    member.membership.refresh_from_db()
    assert member.membership.role == "admin"
    assert owner_client.post(reverse("portal:member_remove", args=[member.membership.pk])).status_code == 302
    assert not Membership.objects.filter(pk=member.membership.pk).exists()


def test_the_last_owner_is_never_removed_or_demoted(owner_client, owner):
    pk = owner.membership.pk
    response = owner_client.post(reverse("portal:member_remove", args=[pk]))
    assert response.status_code == 409
    response = owner_client.post(reverse("portal:member_edit", args=[pk]), {"role": "member"})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    owner.membership.refresh_from_db()
    assert owner.membership.role == Membership.Role.OWNER


def test_an_admin_cannot_touch_an_owner(owner, member):
    member.membership.role = Membership.Role.ADMIN
    member.membership.save()
    client = Client()
    client.force_login(member.user)
    assert client.post(reverse("portal:member_remove", args=[owner.membership.pk])).status_code == 403
    url = reverse("portal:member_edit", args=[owner.membership.pk])
    assert client.post(url, {"role": "member"}).status_code == 403
    # and cannot hand out the owner role
    response = client.post(reverse("portal:member_invite"), {"email": "x@zon.test", "role": "owner"})
    assert response.status_code == 400
