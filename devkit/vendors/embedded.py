"""The embedded run's vendor stand-ins: one fake server per vendor, started in this process on first use.

``config/settings.py`` names ``stand_in_config`` in ``DEVICES_FAKE_VENDORS`` only when
``DEVICES_VENDOR_MODE=fake``; ``apps.devices.vendors`` loads it by that dotted path, so the product's code
never imports this package (import-linter forbids it) and a live deployment never loads it.
"""

from __future__ import annotations

import threading

from . import enode, enphase, pod
from .server import FakeServerHandle, start_fake_server

ENODE_WEBHOOK_SECRET = "fake-enode-webhook-secret"  # noqa: S105 - the stand-in's own secret

_SERVERS: dict[str, FakeServerHandle] = {}
_LOCK = threading.Lock()


def server(provider: str) -> FakeServerHandle:
    """The in-process fake for ``provider`` (started on first use, kept for the process)."""
    with _LOCK:
        handle = _SERVERS.get(provider)
        if handle is None:
            handle = _SERVERS[provider] = start_fake_server(provider)
        return handle


def _enode(base: str) -> dict[str, str]:
    return {
        "api_url": base,
        "token_url": f"{base}/oauth2/token",
        "client_id": enode.CLIENT_ID,
        "client_secret": enode.CLIENT_SECRET,
        "webhook_secret": ENODE_WEBHOOK_SECRET,
    }


def _enphase(base: str) -> dict[str, str]:
    return {
        "api_url": f"{base}/api/v4",
        "auth_url": base,
        "api_key": enphase.API_KEY,
        "client_id": enphase.CLIENT_ID,
        "client_secret": enphase.CLIENT_SECRET,
    }


def _pod(base: str) -> dict[str, str]:
    return {"api_url": base, "client_id": pod.CLIENT_ID, "client_secret": pod.CLIENT_SECRET}


_CONFIGS = {"enode": _enode, "enphase": _enphase, "pod": _pod}


def stand_in_config(provider: str) -> dict[str, str]:
    """The endpoints and credentials of ``provider``'s running fake (the fields of ``VendorConfig``)."""
    return _CONFIGS[provider](server(provider).base_url)
