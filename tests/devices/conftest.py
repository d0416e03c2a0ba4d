"""Fixtures for the vendor client tests: fake servers on 127.0.0.1 and instant sleeps."""

from __future__ import annotations

import random
import time

import httpx
import pytest

from apps.devices.clients import RetryPolicy
from devkit.vendors.server import start_fake_server


class SleepRecorder:
    """Stands in for ``time.sleep``: records the waits, optionally advances a fake clock."""

    def __init__(self, clock: FakeClock | None = None):
        self.waits: list[float] = []
        self.clock = clock

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        if self.clock is not None:
            self.clock.now += seconds


class FakeClock:
    """A clock shared by a fake server and a client, moved only by ``SleepRecorder``."""

    def __init__(self, start: float | None = None):
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def retry(sleeps) -> RetryPolicy:
    return RetryPolicy(max_retries=3, backoff_base=0.5, sleep=sleeps, rng=random.Random(7))


_SHARED: list[httpx.Client] = []


def shared_http() -> httpx.Client:
    """One httpx client for the whole run (creating one costs ~0.1 s of TLS setup)."""
    if not _SHARED:
        _SHARED.append(httpx.Client(timeout=5.0))
    return _SHARED[0]


@pytest.fixture(scope="session", autouse=True)
def _close_shared_http():
    yield
    for client in _SHARED:
        client.close()


@pytest.fixture
def fake():
    """``fake("enode", **options)`` starts a server; all are stopped after the test."""
    handles = []

    def start(vendor: str, **options):
        handle = start_fake_server(vendor, **options)
        handles.append(handle)
        return handle

    yield start
    for handle in handles:
        handle.stop()


@pytest.fixture(autouse=True)
def english():
    """The device tests read the English messages (the POD checks are translated for the portal)."""
    from django.utils import translation

    with translation.override("en"):
        yield
