"""Enode webhooks: signature check and event parsing (pure functions, no network).

Signature scheme (Enode webhook guide; the API reference we were given does not restate it): each
delivery carries ``X-Enode-Signature: sha1=<hex>``, the HMAC-SHA1 of the *raw* request body keyed
with the webhook secret chosen when the subscription was created. Verify before parsing, on the
exact bytes received, and compare in constant time.

A delivery body is a JSON array of events: ``{"event": "user:inverter:statistics-updated",
"createdAt": ..., "version": ..., "user": {"id": ...}, "inverter": {...}, "statistics": {...}}``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import VendorResponseError
from ..series import AssetFact
from .parsers import VENDOR, _parse_asset, _parse_inverter_statistics

SIGNATURE_HEADER = "X-Enode-Signature"

# event asset key -> our asset kind
_EVENT_ASSETS = {
    "inverter": "inverter",
    "meter": "meter",
    "battery": "battery",
    "vehicle": "vehicle",
    "charger": "charger",
    "hvac": "hvac",
    "hem-system": "hem-system",
}
_PAYLOAD_KEYS = {"hem-system": ("hemSystem", "hem-system", "hem_system")}


def sign_webhook_body(secret: str, body: bytes) -> str:
    """The header value Enode would send for ``body`` (used by the fake server and tests)."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()
    return f"sha1={digest}"


def verify_webhook_signature(secret: str, body: bytes, signature: str | None) -> bool:
    """True when ``signature`` (the ``X-Enode-Signature`` header) matches ``body`` under ``secret``."""
    if not secret or not signature or not isinstance(body, bytes | bytearray):
        return False
    expected = sign_webhook_body(secret, bytes(body))
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("ascii", "replace"))


@dataclass(frozen=True)
class EnodeEvent:
    event: str  # e.g. "user:inverter:statistics-updated"
    user_id: str | None
    created_at: pd.Timestamp | None
    asset_kind: str | None = None  # our kind ("inverter", "hem-system", ...)
    action: str | None = None  # "discovered", "updated", "deleted", "statistics-updated", ...
    asset: AssetFact | None = None
    statistics_kwh: pd.Series | None = field(default=None, compare=False)  # hourly kWh, UTC
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def parse_webhook_events(body: bytes | str) -> list[EnodeEvent]:
    """Parse a delivery (already verified) into events. Unknown event types are kept, unparsed."""
    try:
        payload = json.loads(body)
    except (ValueError, TypeError):
        raise VendorResponseError("webhook body is not JSON", vendor=VENDOR) from None
    if isinstance(payload, Mapping):
        payload = [payload]
    if not isinstance(payload, list):
        raise VendorResponseError("webhook body is not a list of events", vendor=VENDOR)
    return [_parse_event(item) for item in payload]


def _parse_event(item: Any) -> EnodeEvent:
    if not isinstance(item, Mapping) or not isinstance(item.get("event"), str):
        raise VendorResponseError("webhook event without an 'event' name", vendor=VENDOR)
    name = item["event"]
    user = item.get("user") or {}
    created = item.get("createdAt")
    created_at = pd.Timestamp(created).tz_convert("UTC") if created else None
    parts = name.split(":")
    asset_kind = action = None
    asset = None
    stats = None
    if len(parts) == 3 and parts[0] == "user" and parts[1] in _EVENT_ASSETS:
        asset_kind, action = _EVENT_ASSETS[parts[1]], parts[2]
        keys = _PAYLOAD_KEYS.get(parts[1], (parts[1],))
        obj = next((item[k] for k in keys if isinstance(item.get(k), Mapping)), None)
        if obj is not None and obj.get("id"):
            asset = _parse_asset(asset_kind, obj)
        if action == "statistics-updated" and isinstance(item.get("statistics"), Mapping):
            stats = _parse_inverter_statistics(item["statistics"])
    return EnodeEvent(
        event=name,
        user_id=user.get("id") if isinstance(user, Mapping) else None,
        created_at=created_at,
        asset_kind=asset_kind,
        action=action,
        asset=asset,
        statistics_kwh=stats,
        raw=item,
    )
