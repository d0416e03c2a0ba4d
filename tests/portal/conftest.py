"""Portal fixtures on top of the shared actors: logged-in test clients and one object of each kind."""

import pytest
from django.test import Client

from apps.dossiers.services import dossier_create
from apps.organizations.keys import split_prefix
from apps.organizations.models import ApiKey
from apps.organizations.services import webhook_endpoint_create


def _client_for(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return _client_for(owner)


@pytest.fixture
def member_client(member) -> Client:
    return _client_for(member)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def dossier(owner):
    return dossier_create(
        organization=owner.organization,
        reference="ZC-001",
        customer_name="Familie de Vries",
        address="Oudegracht 112, Utrecht",
        latitude=52.09,
        longitude=5.12,
    )


@pytest.fixture
def endpoint(owner):
    return webhook_endpoint_create(
        organization=owner.organization, url="https://crm.example/hooks", events=["scan.completed"]
    )


@pytest.fixture
def owner_key(owner) -> ApiKey:
    return ApiKey.objects.get(organization=owner.organization, prefix=split_prefix(owner.api_key))


@pytest.fixture(scope="session")
def scan_result():
    """The engine's result for the seed body, computed once per run (a few seconds)."""
    from apps.engine.api import run_scan
    from apps.scans.engine_inputs import build_engine_inputs
    from tests.scans.conftest import SEED_BODY, resolved_inputs

    return run_scan(build_engine_inputs(resolved_inputs(SEED_BODY)))


@pytest.fixture
def completed_scan(owner, dossier, scan_result):
    from tests.scans.conftest import complete_scan

    return complete_scan(owner.organization, scan_result, dossier=dossier)
