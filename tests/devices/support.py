"""Shared fixtures and helpers for the device-link tests (imported by test_links_*, test_hooks*, test_flow*,
and tests/scans); a plain module, not a test module, so importing it collects no tests twice.

Fresh fake vendor servers per test on 127.0.0.1 (real HTTP), instant retry sleeps, a short history.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from rest_framework.test import APIClient

from apps.devices import vendors
from apps.devices.clients import RetryPolicy
from apps.dossiers.services import dossier_create
from devkit.vendors import embedded


@pytest.fixture
def vendor_fakes(fake, settings, monkeypatch):
    """Start the three fakes and point the devices app at them; return the handles by provider.

    History is 3 days (Enode's fake answers about 4 requests a second per day of HEM statistics);
    tests that need more set ``settings.DEVICES_HISTORY_DAYS`` themselves. Request logs are quietened.
    """
    settings.DEVICES_VENDOR_MODE = "fake"
    settings.DEVICES_HISTORY_DAYS = 3
    for name in ("httpx", "apps.devices.clients"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "level", logging.WARNING)
    # the vendors' clock stands still during a test, so a re-sync sees exactly the same data even when
    # a quarter-hour passes between two syncs
    frozen = dt.datetime.now(dt.UTC)
    handles = {"enode": fake("enode", now=frozen), "enphase": fake("enphase", now=frozen), "pod": fake("pod")}
    for name, handle in handles.items():
        monkeypatch.setitem(embedded._SERVERS, name, handle)
    monkeypatch.setattr(
        vendors, "retry_policy", lambda: RetryPolicy(max_retries=2, backoff_base=0.01, sleep=lambda s: None)
    )
    return handles


@pytest.fixture
def dossier(owner):
    return dossier_create(
        organization=owner.organization, customer_name="Fam. Jansen", latitude=52.09, longitude=5.12
    )


def follow_vendor_redirect(url: str) -> tuple[str, dict[str, str]]:
    """Open a vendor URL like the household's browser would; return our callback path and its query."""
    response = httpx.get(url, follow_redirects=False, timeout=10)
    assert response.status_code in (302, 303), response.text
    target = urlparse(response.headers["location"])
    return target.path, {k: v[0] for k, v in parse_qs(target.query).items()}


def create_link(client, dossier, provider: str, **extra):
    response = client.post(
        "/v1/device-links", {"dossierId": dossier.id, "provider": provider, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def link_enode(client, dossier):
    """Create an Enode link and let the household finish the Link UI; returns the link id."""
    from rest_framework.test import APIClient

    body = create_link(client, dossier, "enode")
    path, query = follow_vendor_redirect(body["linkUrl"])
    assert path == "/hooks/enode/return"
    done = APIClient().get(path, query)
    assert done.status_code == 200 and done.json()["status"] == "linked", done.content
    return body["id"]


def link_enphase(client, dossier):
    from rest_framework.test import APIClient

    body = create_link(client, dossier, "enphase")
    path, query = follow_vendor_redirect(body["linkUrl"])
    done = APIClient().get(path, query)
    assert done.status_code == 200 and done.json()["status"] == "linked", done.content
    return body["id"]


def deliver(body: bytes, headers: dict[str, str]):
    """POST an Enode webhook delivery to /hooks/enode as the vendor does."""
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return APIClient().generic("POST", "/hooks/enode", body, content_type="application/json", **extra)


def statistics_delivery(vendor_fakes, user_id: str, secret: str | None = None):
    """A signed Enode delivery of one inverter statistics-updated event for yesterday: (body, headers)."""
    fake = vendor_fakes["enode"].app
    yesterday = dt.date.today() - dt.timedelta(days=1)
    events = [fake.event(user_id, "user:inverter:statistics-updated", day=yesterday)]
    return fake.webhook_delivery(secret or vendors.enode_webhook_secret(), events)
