"""GET /v1/dossiers/{id}/scan-prefill: the dossier's linked devices as the start of a new scan, the same
rules the portal's new-scan form and studio use (apps.scans.prefill, apps.studio.prefill)."""

import pytest

from apps.devices.models import Asset, DeviceLink
from apps.dossiers.services import dossier_create
from apps.scans.prefill import battery_from_device
from apps.studio.prefill import ev_config_from_vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(owner):
    return dossier_create(organization=owner.organization, customer_name="Fam. Bakker", reference="D-1")


def _asset(organization, dossier, kind, *, vendor_id, status=DeviceLink.Status.LINKED, **stated) -> Asset:
    link = DeviceLink.objects.create(
        organization=organization, dossier=dossier, provider="enode", status=status
    )
    return Asset.objects.create(
        organization=organization, link=link, kind=kind, vendor_id=vendor_id, **stated
    )


def test_a_linked_battery_fixes_the_range_to_its_stated_size():
    # minimum = maximum: the optimiser prices the battery the household has instead of choosing a size
    assert battery_from_device({"capacityKwh": 13.5, "capacityKw": 5.0}) == {
        "min_capacity_kwh": 13.5,
        "capacity_kwh": 13.5,
        "min_power_rating_kw": 5.0,
        "power_rating_kw": 5.0,
    }
    assert battery_from_device({"capacityKwh": 10.0, "capacityKw": None}) == {
        "min_capacity_kwh": 10.0,
        "capacity_kwh": 10.0,
    }
    assert battery_from_device({"capacityKwh": None, "capacityKw": 5.0}) is None
    assert battery_from_device(None) is None


def test_a_linked_car_gives_the_ev_layer_it_states():
    assert ev_config_from_vehicle(capacity_kwh=75.0, charger_kw=11.0) == {
        "battery_kwh": 75.0,
        "charger_power_kw": 11.0,
    }
    assert ev_config_from_vehicle(capacity_kwh=75.0, charger_kw=None) == {"battery_kwh": 75.0}
    assert ev_config_from_vehicle(capacity_kwh=None, charger_kw=None) == {}


def test_the_api_gives_the_battery_range_and_the_ev_layer(owner, dossier):
    battery = _asset(
        owner.organization,
        dossier,
        Asset.Kind.BATTERY,
        vendor_id="b-1",
        name="Thuisaccu",
        capacity_kwh=13.5,
        capacity_kw=5.0,
    )
    car = _asset(
        owner.organization, dossier, Asset.Kind.VEHICLE, vendor_id="v-1", name="Model Y", capacity_kwh=75.0
    )
    _asset(owner.organization, dossier, Asset.Kind.CHARGER, vendor_id="c-1", name="Wallbox", capacity_kw=11.0)
    response = owner.key_client().get(f"/v1/dossiers/{dossier.pk}/scan-prefill")
    assert response.status_code == 200
    assert response.json() == {
        "electricBattery": {
            "minCapacityKwh": 13.5,
            "capacityKwh": 13.5,
            "minPowerRatingKw": 5.0,
            "powerRatingKw": 5.0,
        },
        "batteryDevice": {"assetId": battery.pk, "name": "Thuisaccu"},
        # the charger is on another link of the same dossier: its stated power is the car's charging power
        "evLayers": [
            {"assetId": car.pk, "name": "Model Y", "config": {"batteryKwh": 75.0, "chargerPowerKw": 11.0}}
        ],
    }


def test_without_linked_devices_the_prefill_is_empty(owner, dossier):
    # an unlinked (pending) battery says nothing yet
    _asset(
        owner.organization,
        dossier,
        Asset.Kind.BATTERY,
        vendor_id="b-1",
        capacity_kwh=13.5,
        status=DeviceLink.Status.PENDING,
    )
    response = owner.key_client().get(f"/v1/dossiers/{dossier.pk}/scan-prefill")
    assert response.json() == {"electricBattery": None, "batteryDevice": None, "evLayers": []}


def test_another_organizations_dossier_is_404(dossier, outsider):
    response = outsider.key_client().get(f"/v1/dossiers/{dossier.pk}/scan-prefill")
    assert response.status_code == 404


def test_the_prefill_is_in_the_openapi_schema(owner):
    schema = owner.key_client().get("/v1/openapi.json").json()
    operation = schema["paths"]["/v1/dossiers/{id}/scan-prefill"]["get"]
    assert "404" in operation["responses"]
    prefill = schema["components"]["schemas"]["ScanPrefill"]["properties"]
    assert set(prefill) == {"electricBattery", "batteryDevice", "evLayers"}
