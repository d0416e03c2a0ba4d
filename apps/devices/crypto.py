"""Encryption at rest for vendor tokens and OAuth state (Fernet: AES-128-CBC + HMAC-SHA256).

Key: the ``DEVICE_TOKEN_KEY`` setting (config/settings.py reads the environment). It may be a Fernet key (32
url-safe base64 bytes) or any passphrase (stretched with SHA-256). Several keys separated by commas
rotate: the first encrypts, all decrypt. Without one, a development key is derived from ``SECRET_KEY``
(which the embedded run regenerates per start: tokens of an earlier run then read as absent and the
household links again). Production should set ``DEVICE_TOKEN_KEY`` explicitly.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

logger = logging.getLogger(__name__)

_DERIVE_CONTEXT = b"solarscan/devices/token-key/v1\x00"


def _fernet_key(text: str) -> bytes:
    raw = text.strip().encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32 and len(raw) == 44:
            return raw
    except (ValueError, TypeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(_DERIVE_CONTEXT + raw).digest())


def configured_keys() -> list[bytes]:
    value = settings.DEVICE_TOKEN_KEY or ""
    keys = [part for part in value.split(",") if part.strip()]
    if not keys:
        keys = [settings.SECRET_KEY]
    return [_fernet_key(k) for k in keys]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in configured_keys()])


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt_text(value: str) -> str | None:
    """The plaintext, or None when ``value`` is empty or was encrypted under a key we no longer hold."""
    if not value:
        return None
    try:
        return _fernet().decrypt(value.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        logger.warning("devices: a stored secret could not be decrypted (key changed?); treated as absent")
        return None


def encrypt_json(data: dict[str, Any] | None) -> str:
    return "" if not data else encrypt_text(json.dumps(data, separators=(",", ":")))


def decrypt_json(value: str) -> dict[str, Any] | None:
    text = decrypt_text(value)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
