"""Scan test helpers: the seed's example body and a scan saved straight in a given state."""

import copy

import pytest
from django.core.cache import cache

from apps.scans.models import Scan

# POST /v1/scans example from seeds/scans-api.txt, without customProfileId (the seed's own body sets it to
# "string" next to inputMethod "known", which its flow table rejects) and copiedFromId (a sample id).
SEED_BODY = {
    "location": {"lat": 52.3676, "lon": 4.9041},
    "yearlyKwh": 3500,
    "yearlyExportKwh": 800,
    "loadProfile": "standard",
    "inputMethod": "known",
    "existingPv": [
        {
            "name": "existing_pv_1",
            "panelCount": 10,
            "panelPowerWatts": 400,
            "tiltAngle": 35,
            "orientationAngle": 180,
            "systemLosses": 14,
        }
    ],
    "newPv": [
        {
            "name": "new_pv_1",
            "minPanelCount": 0,
            "maxPanelCount": 10,
            "panelPowerWatts": 400,
            "tiltAngle": 35,
            "orientationAngle": 180,
            "costPerKwp": 1000,
            "systemLosses": 14,
        }
    ],
    "tariff": {"type": "flat", "flatEurPerKwh": 0.28, "feedInEurPerKwh": 0.1, "taxesIncluded": True},
    "electricBattery": {
        "powerRatingKw": 10,
        "capacityKwh": 10,
        "minCapacityKwh": 5,
        "minPowerRatingKw": 5,
        "minimumChargeLevel": 20,
        "roundtripEfficiency": 92,
        "costPerKwh": 550,
        "brandName": "Tesla",
        "modelName": "Powerwall 3",
    },
    "goal": "self-sufficiency",
    "renewableElectricityMinFraction": 0.5,
    "analysisYears": 25,
    "includePvMaintenanceCosts": True,
    "includeBatteryMaintenanceCosts": True,
}

MINIMAL_BODY = {"location": {"lat": 52.09, "lon": 5.12}, "inputMethod": "known", "yearlyKwh": 3000}


def body(**changes) -> dict:
    data = copy.deepcopy(SEED_BODY)
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stub_broker():
    import dramatiq

    broker = dramatiq.get_broker()
    broker.flush_all()
    yield broker
    broker.flush_all()


def make_scan(organization, *, status=Scan.Status.PROCESSING, **fields) -> Scan:
    from apps.scans.api.serializers import ScanCreateSerializer

    serializer = ScanCreateSerializer(data=MINIMAL_BODY_SNAKE)
    serializer.is_valid(raise_exception=True)
    inputs = dict(serializer.validated_data)
    inputs.pop("copied_from_id", None)
    inputs.pop("dossier_id", None)
    return Scan.objects.create(
        organization=organization, inputs=inputs, goal=inputs["goal"], status=status, **fields
    )


MINIMAL_BODY_SNAKE = {"location": {"lat": 52.09, "lon": 5.12}, "input_method": "known", "yearly_kwh": 3000}
