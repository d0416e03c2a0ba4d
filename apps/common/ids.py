"""Opaque, unguessable identifiers in the seed's shape: 25 lowercase characters starting with 'c'."""

import secrets
import string

_ALPHABET = string.ascii_lowercase + string.digits
ID_LENGTH = 25


def new_id() -> str:
    """A 25-character id: 'c' + 24 random base-36 characters (about 124 bits of entropy)."""
    return "c" + "".join(secrets.choice(_ALPHABET) for _ in range(ID_LENGTH - 1))


def new_token(nbytes: int = 32) -> str:
    """A long random URL-safe token (share links, webhook secrets)."""
    return secrets.token_urlsafe(nbytes)
