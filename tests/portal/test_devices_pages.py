"""Portal pages for a dossier's device links, against the fake vendors: list, link (the vendor URL button
completes the link), sync, readings summary, studio profile, unlink; facts JSON; outsiders get 404."""

import re

import pytest
from rest_framework.test import APIClient

from apps.devices import services
from apps.devices.models import Asset, DeviceLink
from tests.devices import conftest as devices_conftest
from tests.devices import support
from tests.devices.support import follow_vendor_redirect

vendor_fakes, fake = support.vendor_fakes, devices_conftest.fake  # fixtures


def _create(client, dossier, provider: str = "enphase", **extra):
    return client.post(f"/dossiers/{dossier.pk}/devices/new/", {"provider": provider, **extra})


def _linked_enphase(client, dossier) -> DeviceLink:
    """Create through the portal, open the button's URL like the household, land on our callback."""
    response = _create(client, dossier)
    assert response.status_code == 302
    page = client.get(response["Location"])
    url = re.search(r'href="(http://127\.0\.0\.1:\d+/[^"]+)"', page.content.decode()).group(1)
    path, query = follow_vendor_redirect(url.replace("&amp;", "&"))
    assert APIClient().get(path, query).json()["status"] == "linked"
    return DeviceLink.objects.get(dossier=dossier)


@pytest.fixture
def linked(owner_client, dossier, vendor_fakes) -> DeviceLink:
    link = _linked_enphase(owner_client, dossier)
    assert services.link_sync(link_id=link.pk).status == "ok"
    link.refresh_from_db()
    return link


def test_dossier_page_shows_the_device_links_section(owner_client, dossier):
    page = owner_client.get(f"/dossiers/{dossier.pk}/")
    assert page.status_code == 200
    assert 'id="device-links"' in page.content.decode()
    assert f"/dossiers/{dossier.pk}/devices/" in page.content.decode()


def test_create_link_shows_the_vendor_button_which_completes_the_link(owner_client, dossier, vendor_fakes):
    response = _create(owner_client, dossier)
    link = DeviceLink.objects.get(dossier=dossier)
    assert response.status_code == 302 and response["Location"] == f"/device-links/{link.pk}/"
    page = owner_client.get(response["Location"]).content.decode()
    assert 'id="link-url"' in page and "127.0.0.1" in page
    assert "link-url" not in owner_client.get(f"/device-links/{link.pk}/").content.decode()  # shown once
    # the household lost the URL: a new one
    again = owner_client.post(f"/device-links/{link.pk}/restart/")
    page = owner_client.get(again["Location"]).content.decode()
    url = re.search(r'href="(http://127\.0\.0\.1:\d+/[^"]+)"', page).group(1).replace("&amp;", "&")
    path, query = follow_vendor_redirect(url)
    assert APIClient().get(path, query).json()["status"] == "linked"
    listing = owner_client.get(f"/dossiers/{dossier.pk}/devices/").content.decode()
    assert "Enphase Enlighten" in listing and "status-linked" in listing


def test_pod_link_needs_its_fields(owner_client, dossier, vendor_fakes):
    response = _create(owner_client, dossier, provider="pod")
    assert response.status_code == 400 and not DeviceLink.objects.exists()


def test_detail_shows_measured_production_and_monthly_readings(owner_client, dossier, linked):
    page = owner_client.get(f"/device-links/{linked.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert f"{linked.measured_production_kwh:.0f} kWh" in body
    assert 'id="readings"' in body and len(page.context["monthly"]) >= 1
    first = page.context["monthly"][0]["values"]
    assert first[0] is not None and first[0] > 0  # PV production of the month
    listing = owner_client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert f"{linked.measured_production_kwh:.0f}" in listing  # dossier page: measured yearly production


def test_sync_now_queues_a_sync(owner_client, linked):
    response = owner_client.post(f"/device-links/{linked.pk}/sync/")
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.sync_status == "queued"
    assert owner_client.get(f"/device-links/{linked.pk}/sync/").status_code == 405


def test_build_studio_profile_from_the_link(owner_client, linked, settings):
    # 3 days measured: too few for a studio profile, said on the page
    refused = owner_client.post(f"/device-links/{linked.pk}/studio-profile/", follow=True)
    assert refused.status_code == 200 and refused.context["link"].pk == linked.pk
    assert any("at least 7" in str(m) for m in refused.context["messages"])
    linked.refresh_from_db()
    assert linked.studio_profile is None
    settings.DEVICES_HISTORY_DAYS = 8  # a week and a bit: enough for the studio
    DeviceLink.objects.filter(pk=linked.pk).update(last_sync_at=None)
    Asset.objects.filter(link=linked).update(synced_through=None)
    assert services.link_sync(link_id=linked.pk).status == "ok"
    response = owner_client.post(f"/device-links/{linked.pk}/studio-profile/")
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.studio_profile is not None
    assert linked.studio_profile.organization_id == linked.organization_id


def test_unlink_asks_first_then_deletes(owner_client, dossier, linked):
    confirm = owner_client.get(f"/device-links/{linked.pk}/delete/")
    assert confirm.status_code == 200 and "button danger" in confirm.content.decode()
    assert DeviceLink.objects.filter(pk=linked.pk).exists()
    response = owner_client.post(f"/device-links/{linked.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{dossier.pk}/devices/"
    assert not DeviceLink.objects.filter(pk=linked.pk).exists()


def test_device_facts_json(owner_client, dossier, linked):
    facts = owner_client.get(f"/dossiers/{dossier.pk}/devices/facts.json").json()
    assert facts["dossierId"] == dossier.pk
    assert set(facts) >= {"battery", "vehicle", "charger", "production"}
    measured = facts["production"]["measured"]
    assert measured["source"] == "enphase" and measured["measuredKwh"] == pytest.approx(
        linked.measured_production_kwh
    )


def test_dutch_pages(owner_client, linked):
    owner_client.cookies["django_language"] = "nl"
    body = owner_client.get(f"/device-links/{linked.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Nu synchroniseren" in body and "Metingen per maand" in body


def test_outsiders_get_404_everywhere(outsider_client, dossier, linked):
    pk, dossier_pk = linked.pk, dossier.pk
    for url in (
        f"/dossiers/{dossier_pk}/devices/",
        f"/dossiers/{dossier_pk}/devices/facts.json",
        f"/device-links/{pk}/",
        f"/device-links/{pk}/delete/",
    ):
        assert outsider_client.get(url).status_code == 404, url
    for url in (
        f"/dossiers/{dossier_pk}/devices/new/",
        f"/device-links/{pk}/sync/",
        f"/device-links/{pk}/restart/",
        f"/device-links/{pk}/studio-profile/",
        f"/device-links/{pk}/delete/",
    ):
        assert outsider_client.post(url, {"provider": "enphase"}).status_code == 404, url
    linked.refresh_from_db()
    assert linked.sync_status == "ok" and linked.studio_profile is None
    assert DeviceLink.objects.filter(dossier_id=dossier_pk).count() == 1


def test_anonymous_is_sent_to_login(client, dossier):
    assert client.get(f"/dossiers/{dossier.pk}/devices/").status_code == 302


def test_english_pages(owner_client, linked):
    owner_client.cookies["django_language"] = "en"
    body = owner_client.get(f"/device-links/{linked.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sync now" in body and "Readings per month (kWh)" in body
