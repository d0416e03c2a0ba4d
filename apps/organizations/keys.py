"""API key format and hashing. A key reads `ssk_<prefix>_<secret>`; the prefix finds the row, the hash proves it."""

import hashlib
import hmac
import secrets

KEY_SCHEME = "ssk"
PREFIX_BYTES = 6
SECRET_BYTES = 30


def generate_key() -> tuple[str, str, str]:
    """Return (raw key, visible prefix, SHA-256 hex digest of the raw key)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    raw = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return raw, prefix, hash_key(raw)


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def split_prefix(raw: str) -> str | None:
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or len(parts[1]) != PREFIX_BYTES * 2:
        return None
    return parts[1]


def key_matches(raw: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(raw), stored_hash)
