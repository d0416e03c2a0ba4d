"""Every rule of the seed's POST /v1/scans flow tables: 400 problem details naming the field; nothing saved."""

import pytest

from apps.scans.models import Scan

from .conftest import MINIMAL_BODY, body


def _without(data: dict, *names) -> dict:
    return {k: v for k, v in data.items() if k not in names}


def _battery(**changes):
    return {**body()["electricBattery"], **changes}


def _new_pv(**changes):
    return [{**body()["newPv"][0], **changes}]


def _existing_pv(**changes):
    return [{**body()["existingPv"][0], **changes}]


STUDIO = {"location": {"lat": 52.1, "lon": 5.1}, "inputMethod": "studio", "customProfileId": "c" + "x" * 24}

INVALID = [
    # (case id, body, field named in errors) — rules from seeds/scans-api.txt POST /v1/scans
    ("missing inputMethod", _without(body(), "inputMethod"), "inputMethod"),
    ("unknown inputMethod", body(inputMethod="guess"), "inputMethod"),
    ("missing location", _without(body(), "location"), "location"),
    ("known needs yearlyKwh", _without(body(), "yearlyKwh", "yearlyExportKwh"), "yearlyKwh"),
    ("known yearlyKwh > 0", body(yearlyKwh=0, yearlyExportKwh=None), "yearlyKwh"),
    ("known rejects customProfileId", body(customProfileId="cabc"), "customProfileId"),
    ("studio needs customProfileId", _without(STUDIO, "customProfileId"), "customProfileId"),
    ("studio rejects yearlyKwh", {**STUDIO, "yearlyKwh": 3000}, "yearlyKwh"),
    ("studio rejects yearlyExportKwh", {**STUDIO, "yearlyExportKwh": 100}, "yearlyExportKwh"),
    ("studio rejects loadProfile", {**STUDIO, "loadProfile": "standard"}, "loadProfile"),
    ("export needs existingPv", body(existingPv=[]), "yearlyExportKwh"),
    # 10 × 400 Wp = 4 kWp can export at most 4 × 1,500 = 6,000 kWh (MAX_EXPORT_KWH_PER_KWP).
    ("export <= what the panels produce", body(yearlyKwh=500, yearlyExportKwh=6001), "yearlyExportKwh"),
    ("unknown loadProfile", body(loadProfile="office"), "loadProfile"),
    ("fraction > 1", body(renewableElectricityMinFraction=1.2), "renewableElectricityMinFraction"),
    ("fraction < 0", body(renewableElectricityMinFraction=-0.1), "renewableElectricityMinFraction"),
    (
        "renewable-minimum needs fraction",
        _without(body(goal="renewable-minimum"), "renewableElectricityMinFraction"),
        "renewableElectricityMinFraction",
    ),
    ("unknown goal", body(goal="max-profit"), "goal"),
    ("analysisYears < 10", body(analysisYears=9), "analysisYears"),
    ("analysisYears > 30", body(analysisYears=31), "analysisYears"),
    ("lat > 90", body(location={"lat": 90.5, "lon": 5}), "location.lat"),
    ("lat < -90", body(location={"lat": -91, "lon": 5}), "location.lat"),
    ("lon > 180", body(location={"lat": 52, "lon": 181}), "location.lon"),
    ("lon < -180", body(location={"lat": 52, "lon": -180.5}), "location.lon"),
    ("existing panelCount >= 0", body(existingPv=_existing_pv(panelCount=-1)), "existingPv.0.panelCount"),
    ("existing watts > 0", body(existingPv=_existing_pv(panelPowerWatts=0)), "existingPv.0.panelPowerWatts"),
    ("existing tilt <= 90", body(existingPv=_existing_pv(tiltAngle=95)), "existingPv.0.tiltAngle"),
    ("existing tilt >= 0", body(existingPv=_existing_pv(tiltAngle=-1)), "existingPv.0.tiltAngle"),
    (
        "existing orientation <= 360",
        body(existingPv=_existing_pv(orientationAngle=361)),
        "existingPv.0.orientationAngle",
    ),
    ("existing losses <= 100", body(existingPv=_existing_pv(systemLosses=101)), "existingPv.0.systemLosses"),
    ("new minPanelCount >= 0", body(newPv=_new_pv(minPanelCount=-1)), "newPv.0.minPanelCount"),
    ("new min <= max", body(newPv=_new_pv(minPanelCount=11, maxPanelCount=10)), "newPv.0.minPanelCount"),
    ("new watts > 0", body(newPv=_new_pv(panelPowerWatts=-5)), "newPv.0.panelPowerWatts"),
    ("new orientation >= 0", body(newPv=_new_pv(orientationAngle=-10)), "newPv.0.orientationAngle"),
    ("new losses >= 0", body(newPv=_new_pv(systemLosses=-1)), "newPv.0.systemLosses"),
    (
        "battery minCapacity <= capacity",
        body(electricBattery=_battery(minCapacityKwh=11)),
        "electricBattery.minCapacityKwh",
    ),
    (
        "battery minPower <= power",
        body(electricBattery=_battery(minPowerRatingKw=12)),
        "electricBattery.minPowerRatingKw",
    ),
    (
        "battery efficiency > 0",
        body(electricBattery=_battery(roundtripEfficiency=0)),
        "electricBattery.roundtripEfficiency",
    ),
    (
        "battery efficiency <= 100",
        body(electricBattery=_battery(roundtripEfficiency=100.5)),
        "electricBattery.roundtripEfficiency",
    ),
    (
        "battery min charge < 100",
        body(electricBattery=_battery(minimumChargeLevel=100)),
        "electricBattery.minimumChargeLevel",
    ),
    (
        "battery min charge >= 0",
        body(electricBattery=_battery(minimumChargeLevel=-1)),
        "electricBattery.minimumChargeLevel",
    ),
    ("unknown tariff type", body(tariff={"type": "tiered", "flatEurPerKwh": 0.3}), "tariff.type"),
    ("flat needs flatEurPerKwh", body(tariff={"type": "flat"}), "tariff.flatEurPerKwh"),
    (
        "flat rejects dynamic fields",
        body(tariff={"type": "flat", "flatEurPerKwh": 0.3, "supplierMarkupEurPerKwh": 0.02}),
        "tariff.supplierMarkupEurPerKwh",
    ),
    (
        "dynamic rejects flat price",
        body(tariff={"type": "dynamic", "flatEurPerKwh": 0.3}),
        "tariff.flatEurPerKwh",
    ),
    (
        "dynamic prices need 8760 hours",
        body(tariff={"type": "dynamic", "dayAheadEurPerKwh": [0.1] * 24}),
        "tariff.dayAheadEurPerKwh",
    ),
    (
        "priceYear must be a built-in year of the country",
        body(tariff={"type": "dynamic", "country": "BE", "priceYear": 2025}),
        "tariff.priceYear",
    ),
    (
        "priceYear not together with supplied prices",
        body(tariff={"type": "dynamic", "priceYear": 2024, "dayAheadEurPerKwh": [0.1] * 8760}),
        "tariff.priceYear",
    ),
    (
        "flat rejects priceYear",
        body(tariff={"type": "flat", "flatEurPerKwh": 0.3, "priceYear": 2024}),
        "tariff.priceYear",
    ),
    (
        "capacity peak factor below 1 (an hour's mean never exceeds its highest quarter)",
        body(
            tariff={"type": "flat", "flatEurPerKwh": 0.3, "capacityTariff": True, "capacityPeakFactor": 0.9}
        ),
        "tariff.capacityPeakFactor",
    ),
    (
        "capacity peak factor above 4 (a whole hour's energy in one quarter)",
        body(
            tariff={"type": "flat", "flatEurPerKwh": 0.3, "capacityTariff": True, "capacityPeakFactor": 4.5}
        ),
        "tariff.capacityPeakFactor",
    ),
    (
        "capacity peak factor without the capacity tariff",
        body(tariff={"type": "flat", "flatEurPerKwh": 0.3, "capacityPeakFactor": 1.3}),
        "tariff.capacityPeakFactor",
    ),
    ("dossierId of nobody", body(dossierId="c" + "0" * 24), "dossierId"),
    ("copiedFromId of nobody", body(copiedFromId="c" + "0" * 24), "copiedFromId"),
]


@pytest.mark.parametrize("data,field", [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_body_is_400_naming_the_field(owner, data, field):
    response = owner.key_client().post("/v1/scans", data, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert field in problem["errors"], problem
    assert problem["errors"][field] and all(isinstance(m, str) and m for m in problem["errors"][field])
    assert Scan.objects.count() == 0


def test_studio_profile_of_another_organization_is_rejected(owner, outsider):
    from apps.studio.models import StudioProfile

    profile = StudioProfile.objects.create(organization=outsider.organization, name="Theirs", year=2025)
    response = owner.key_client().post("/v1/scans", {**STUDIO, "customProfileId": profile.id}, format="json")
    assert response.status_code == 400
    assert "customProfileId" in response.json()["errors"]


def test_defaults_are_filled_and_stored(owner, stub_broker):
    response = owner.key_client().post("/v1/scans", MINIMAL_BODY, format="json")
    assert response.status_code == 201, response.content
    scan = Scan.objects.get(pk=response.json()["id"])
    inputs = scan.inputs
    assert inputs["goal"] == "cost-savings" and inputs["analysis_years"] == 25
    assert inputs["load_profile"] == "standard"
    assert inputs["tariff"]["type"] == "flat" and inputs["tariff"]["flat_eur_per_kwh"] is not None
    assert inputs["electric_battery"] is None and inputs["existing_pv"] == [] and inputs["new_pv"] == []
    assert inputs["include_pv_maintenance_costs"] is False
    assert {"discount_rate", "price_escalation", "first_operating_year"} <= set(inputs)
    assert scan.engine_version


def test_seed_body_is_valid_and_array_defaults_fill(owner, stub_broker):
    data = body()
    del data["newPv"][0]["systemLosses"]
    response = owner.key_client().post("/v1/scans", data, format="json")
    assert response.status_code == 201, response.content
    body_ = response.json()
    assert set(body_) == {"id", "status", "errorMessage", "createdAt"}
    assert body_["status"] == "processing"
    scan = Scan.objects.get(pk=body_["id"])
    assert scan.inputs["new_pv"][0]["system_losses"] == 14.0
    assert scan.inputs["electric_battery"]["brand_name"] == "Tesla"
