"""A linked vehicle fills the battery capacity and charger power of a studio EV layer."""

import pytest
from django.urls import reverse

from apps.devices.models import Asset, DeviceLink
from apps.devices.selectors import linked_vehicles
from apps.dossiers.services import dossier_create
from apps.studio import services
from apps.studio.layers.common import unpack

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ev_layer(owner):
    profile = services.profile_create(organization=owner.organization, name="Familie de Vries", year=2026)
    profile = services.base_set_template(profile=profile, template_id="stel")
    return services.layer_add(profile=profile, preset_id="ev")


def _vehicle(organization, dossier, *, name: str, capacity_kwh: float | None, status="linked") -> Asset:
    link = DeviceLink.objects.create(
        organization=organization, dossier=dossier, provider="enode", status=status
    )
    return Asset.objects.create(
        organization=organization,
        link=link,
        kind=Asset.Kind.VEHICLE,
        vendor_id=f"v-{name}",
        name=name,
        capacity_kwh=capacity_kwh,
    )


@pytest.fixture
def vehicle(owner, dossier):
    return _vehicle(owner.organization, dossier, name="Model Y", capacity_kwh=75.0)


@pytest.fixture
def outsider_vehicle(outsider):
    other = dossier_create(
        organization=outsider.organization,
        reference="X-1",
        customer_name="Familie Jansen",
        address="Dam 1, Amsterdam",
        latitude=52.37,
        longitude=4.89,
    )
    return _vehicle(outsider.organization, other, name="Ander merk", capacity_kwh=40.0)


def _url(layer) -> str:
    return reverse("portal:studio_layer_edit", args=[layer.profile_id, layer.pk])


def test_the_page_lists_the_organizations_linked_vehicles_only(
    owner, owner_client, dossier, ev_layer, vehicle, outsider_vehicle
):
    _vehicle(owner.organization, dossier, name="Oude Leaf", capacity_kwh=24.0, status="revoked")
    body = owner_client.get(_url(ev_layer)).content.decode()
    assert "Take from a linked vehicle" in body
    assert f'value="{vehicle.pk}"' in body and "Model Y" in body and "Familie de Vries" in body
    assert outsider_vehicle.pk not in body and "Ander merk" not in body and "Oude Leaf" not in body
    assert [v["assetId"] for v in linked_vehicles(organization=owner.organization)] == [vehicle.pk]


def test_no_select_without_linked_vehicles(owner_client, ev_layer):
    assert "Take from a linked vehicle" not in owner_client.get(_url(ev_layer)).content.decode()


def test_applying_fills_battery_and_charger_power_and_recomputes(owner, owner_client, ev_layer, vehicle):
    Asset.objects.create(
        organization=owner.organization,
        link=vehicle.link,
        kind=Asset.Kind.CHARGER,
        vendor_id="c-1",
        name="Laadpaal",
        capacity_kw=3.7,
    )
    before = bytes(ev_layer.data)
    response = owner_client.post(_url(ev_layer), {"vehicle_id": vehicle.pk})
    assert response.status_code == 302 and response.url == _url(ev_layer)
    ev_layer.refresh_from_db()
    ev_config = ev_layer.config["ev_config"]
    assert ev_config["battery_kwh"] == 75.0 and ev_config["charger_power_kw"] == 3.7
    # simulated again with the new charger: no hour above its power, and the profile's peak follows
    hourly = unpack(ev_layer.data)
    assert bytes(ev_layer.data) != before and hourly.max() <= 3.7 + 1e-6 and ev_layer.annual_kwh > 0
    profile = ev_layer.profile
    profile.refresh_from_db()
    assert unpack(profile.result) == pytest.approx(unpack(profile.base_data) + hourly, abs=1e-3)
    assert profile.total_kwh == pytest.approx(float(unpack(profile.result).sum()), rel=1e-3)
    page = owner_client.get(_url(ev_layer)).content.decode()
    assert 'value="75.0"' in page and 'value="3.7"' in page


def test_without_a_stated_charger_only_the_battery_is_filled(owner_client, ev_layer, vehicle):
    charger_before = (ev_layer.config.get("ev_config") or {}).get("charger_power_kw")
    assert owner_client.post(_url(ev_layer), {"vehicle_id": vehicle.pk}).status_code == 302
    ev_layer.refresh_from_db()
    assert ev_layer.config["ev_config"]["battery_kwh"] == 75.0
    assert ev_layer.config["ev_config"].get("charger_power_kw") == charger_before


def test_an_out_of_range_capacity_is_refused_by_the_layer_rules(owner, owner_client, dossier, ev_layer):
    huge = _vehicle(owner.organization, dossier, name="Truck", capacity_kwh=900.0)
    response = owner_client.post(_url(ev_layer), {"vehicle_id": huge.pk})
    assert response.status_code == 400
    ev_layer.refresh_from_db()
    assert (ev_layer.config.get("ev_config") or {}).get("battery_kwh") != 900.0


def test_an_outsiders_vehicle_is_not_found(owner_client, ev_layer, outsider_vehicle):
    before = dict(ev_layer.config.get("ev_config") or {})
    assert owner_client.post(_url(ev_layer), {"vehicle_id": outsider_vehicle.pk}).status_code == 404
    assert owner_client.post(_url(ev_layer), {"vehicle_id": "nope"}).status_code == 404
    ev_layer.refresh_from_db()
    assert (ev_layer.config.get("ev_config") or {}) == before


def test_the_vehicle_select_speaks_dutch(owner_client, ev_layer, vehicle):
    owner_client.cookies["django_language"] = "nl"
    body = owner_client.get(_url(ev_layer), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Overnemen van een gekoppelde auto" in body and "laadpaal van dezelfde klant" in body
