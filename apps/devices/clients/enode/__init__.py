"""Enode: client-credentials API client, Link UI sessions, statistics, webhooks."""

from .client import COLLECTIONS, PATHS, EnodeClient
from .parsers import (
    LinkSession,
    _parse_asset,
    _parse_hem_statistics,
    _parse_inverter_daily,
    _parse_inverter_statistics,
    _parse_link_session,
    _parse_page,
)
from .webhooks import (
    SIGNATURE_HEADER,
    EnodeEvent,
    parse_webhook_events,
    sign_webhook_body,
    verify_webhook_signature,
)

__all__ = [
    "COLLECTIONS",
    "PATHS",
    "SIGNATURE_HEADER",
    "EnodeClient",
    "EnodeEvent",
    "LinkSession",
    "_parse_asset",
    "_parse_hem_statistics",
    "_parse_inverter_daily",
    "_parse_inverter_statistics",
    "_parse_link_session",
    "_parse_page",
    "parse_webhook_events",
    "sign_webhook_body",
    "verify_webhook_signature",
]
