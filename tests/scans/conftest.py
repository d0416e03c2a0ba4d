"""Scan test helpers: the seed's example body and a scan saved straight in a given state."""

import copy

import pytest
from django.core.cache import cache
from djangorestframework_camel_case.util import underscoreize

from apps.scans.models import Scan
from tests.scans.worker_processes import own_redis  # noqa: F401  (a fixture of the worker-process tests)
from tests.webhook_receivers import receiver  # noqa: F401  (a fixture of the scans tests)


@pytest.fixture(autouse=True)
def local_webhook_receivers(settings):
    """The scan tests deliver webhooks to receivers on 127.0.0.1 over http: local-development mode of the
    target check (tests/organizations/test_webhook_targets.py tests the production rules)."""
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


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


def resolved_inputs(data: dict) -> dict:
    """A camelCase body → the stored inputs (validated, defaults filled), as the API would store them."""
    from apps.scans.api.serializers import ScanCreateSerializer
    from apps.scans.services import ENGINE_PARAMETERS, weather_source

    serializer = ScanCreateSerializer(data=underscoreize(data))
    serializer.is_valid(raise_exception=True)
    inputs = {**serializer.validated_data, **ENGINE_PARAMETERS, "weather_source": weather_source()}
    inputs.pop("copied_from_id", None)
    inputs.pop("dossier_id", None)
    return inputs


def make_scan(organization, *, status=Scan.Status.PROCESSING, data=None, **fields) -> Scan:
    inputs = resolved_inputs(data or MINIMAL_BODY)
    return Scan.objects.create(
        organization=organization, inputs=inputs, goal=inputs["goal"], status=status, **fields
    )


@pytest.fixture(scope="session")
def seed_result():
    """The engine's result for the seed body, computed once for the whole tests/scans run (~1-2 s)."""
    from apps.engine.api import run_scan
    from apps.scans.engine_inputs import build_engine_inputs

    return run_scan(build_engine_inputs(resolved_inputs(SEED_BODY)))


def complete_scan(organization, result, data=None, **fields) -> Scan:
    """A completed scan of the seed body (or ``data``), its report assembled from `result` by the real
    service."""
    from apps.scans.services import scan_complete

    scan = make_scan(organization, status=Scan.Status.RUNNING, data=data or SEED_BODY, **fields)
    assert scan_complete(scan_id=scan.id, inputs=scan.inputs, result=result) == "completed"
    scan.refresh_from_db()
    return scan


@pytest.fixture
def completed(owner, seed_result) -> Scan:
    return complete_scan(owner.organization, seed_result)


def make_endpoint(organization, url="http://127.0.0.1:9/hook", events=()):
    """A webhook endpoint with a Standard Webhooks secret ("whsec_" + standard base64 of 24 random bytes).

    Not organizations.services.webhook_endpoint_create: its URL-safe token secrets do not always decode as
    standard base64 (see the scans issue note), which made signing fail at random.
    """
    import base64
    import secrets

    from apps.organizations.models import WebhookEndpoint

    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    return WebhookEndpoint.objects.create(
        organization=organization, url=url, events=list(events), secret=secret
    )
