"""Shared actors for API tests: an owner and a member of one organization, and an outsider of another."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from apps.organizations.models import Membership, Organization
from apps.organizations.services import api_key_create, membership_add, organization_create


@dataclass
class Actor:
    organization: Organization
    membership: Membership
    api_key: str

    @property
    def user(self):
        return self.membership.user

    def key_client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=self.api_key)
        return client

    def jwt_client(self) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(self.user).access_token}")
        return client


def _actor(organization: Organization, membership: Membership) -> Actor:
    return Actor(organization, membership, api_key_create(organization=organization, name="test").raw_key)


@pytest.fixture
def owner(db) -> Actor:
    organization = organization_create(
        name="Zon & Co", owner_email="owner@zon.test", owner_password="pw-owner-123", plan="paid"
    )
    return _actor(organization, organization.memberships.get())


@pytest.fixture
def member(owner) -> Actor:
    membership = membership_add(
        organization=owner.organization, email="member@zon.test", password="pw-member-123"
    )
    return _actor(owner.organization, membership)


@pytest.fixture
def outsider(db) -> Actor:
    organization = organization_create(
        name="Concurrent BV", owner_email="boss@concurrent.test", owner_password="pw-outsider-1"
    )
    return _actor(organization, organization.memberships.get())


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


# A public address outside every special-purpose registry, standing in for DNS (tests use no network).
PUBLIC_TEST_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def offline_dns(monkeypatch):
    """Webhook host names resolve without DNS: IP literals to themselves, any name to a public address.
    Tests of the target check replace this table with their own."""
    import ipaddress

    from apps.organizations import webhook_targets

    def resolve(host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            return [PUBLIC_TEST_ADDRESS]

    monkeypatch.setattr(webhook_targets, "_resolve", resolve)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty throttle and lockout counters (the cache outlives tests in a process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test under tests/e2e drives the browser: marked ``e2e`` so that scripts/test.sh runs them in
    one process after the parallel part."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)
