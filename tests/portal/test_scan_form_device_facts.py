"""A dossier's linked battery sizes the battery fields of a new scan form (the rule: apps.scans.prefill,
tested in tests/dossiers/test_scan_prefill.py; here, that the form shows what the rule gives)."""

from apps.devices.models import Asset, DeviceLink
from apps.portal import scan_form


def test_apply_prefill_sets_the_battery_range_to_the_device():
    values = scan_form.default_values(lat=52.1, lon=5.1)
    scan_form.apply_prefill(
        values,
        {"min_capacity_kwh": 13.5, "capacity_kwh": 13.5, "min_power_rating_kw": 5.0, "power_rating_kw": 5.0},
    )
    assert values["batteryEnabled"] == "on"
    assert values["electricBattery.minCapacityKwh"] == values["electricBattery.capacityKwh"] == "13.5"
    assert values["electricBattery.minPowerRatingKw"] == values["electricBattery.powerRatingKw"] == "5"


def test_no_linked_battery_leaves_the_defaults():
    values = scan_form.default_values(lat=52.1, lon=5.1)
    before = dict(values)
    scan_form.apply_prefill(values, None)
    assert values == before


def test_new_scan_page_prefills_from_a_linked_battery(owner, owner_client, dossier):
    link = DeviceLink.objects.create(
        organization=owner.organization, dossier=dossier, provider="enode", status=DeviceLink.Status.LINKED
    )
    Asset.objects.create(
        organization=owner.organization,
        link=link,
        kind=Asset.Kind.BATTERY,
        vendor_id="b-1",
        name="Thuisaccu",
        capacity_kwh=13.5,
        capacity_kw=5.0,
    )
    page = owner_client.get(f"/dossiers/{dossier.pk}/scans/new/").content.decode()
    assert 'value="13.5"' in page and "Thuisaccu" in page
