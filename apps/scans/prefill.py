"""What a new scan of a dossier starts from, read from the dossier's linked devices: the one rule for the
portal's new-scan form and the API's `GET /v1/dossiers/{id}/scan-prefill`.

A linked home battery fixes the battery range to the device (minimum = maximum = its stated capacity and,
when stated, power): the optimiser then prices the battery the household has, instead of choosing a size.
A linked car gives the studio's electric-car layer (apps.studio.prefill), for a profile built from it."""

from __future__ import annotations

from apps.devices.selectors import dossier_device_facts, linked_vehicles
from apps.dossiers.selectors import dossier_get
from apps.organizations.models import Organization
from apps.studio.prefill import ev_config_from_vehicle


def battery_from_device(battery: dict | None) -> dict | None:
    """`electric_battery` inputs fixed to a linked battery's stated capacity [kWh] and power [kW]; None
    when no linked battery states a capacity (the scan keeps its own range)."""
    if not battery or not battery.get("capacityKwh"):
        return None
    fixed = {"min_capacity_kwh": battery["capacityKwh"], "capacity_kwh": battery["capacityKwh"]}
    if battery.get("capacityKw"):
        fixed |= {"min_power_rating_kw": battery["capacityKw"], "power_rating_kw": battery["capacityKw"]}
    return fixed


def scan_prefill(*, organization: Organization | None, dossier_id: str) -> dict:
    """The dossier's prefill (snake_case; the API renders it camelCase). NotFound for another
    organization's dossier.

    ``electric_battery``: partial `electric_battery` inputs from the linked battery, or None;
    ``battery_device``: that battery (``asset_id``, ``name``), or None;
    ``ev_layers``: per linked car of the dossier, ``asset_id``, ``name`` and the EV layer ``config``
    (``battery_kwh``, ``charger_power_kw`` as far as stated)."""
    dossier = dossier_get(organization=organization, dossier_id=dossier_id)
    battery = dossier_device_facts(organization=organization, dossier_id=dossier.pk)["battery"]
    electric_battery = battery_from_device(battery)
    return {
        "electric_battery": electric_battery,
        "battery_device": (
            {"asset_id": battery["assetId"], "name": battery["name"]} if electric_battery else None
        ),
        "ev_layers": [
            {
                "asset_id": vehicle["assetId"],
                "name": vehicle["name"],
                "config": ev_config_from_vehicle(
                    capacity_kwh=vehicle["capacityKwh"], charger_kw=vehicle["chargerKw"]
                ),
            }
            for vehicle in linked_vehicles(organization=organization)
            if vehicle["dossierId"] == dossier.pk
        ],
    }
