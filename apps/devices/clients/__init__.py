"""Vendor clients for device links (Enode, Enphase Enlighten, POD consumption API).

No Django here: the devices app injects base URLs, credentials, a token store and an httpx client.
"""

from .errors import (
    OAuthStateError,
    VendorAuthError,
    VendorError,
    VendorInputError,
    VendorRateLimited,
    VendorRequestError,
    VendorResponseError,
    VendorUnavailable,
)
from .http import CallbackTokenStore, MemoryTokenStore, RetryPolicy, Token, TokenStore
from .series import AssetFact

__all__ = [
    "AssetFact",
    "CallbackTokenStore",
    "MemoryTokenStore",
    "OAuthStateError",
    "RetryPolicy",
    "Token",
    "TokenStore",
    "VendorAuthError",
    "VendorError",
    "VendorInputError",
    "VendorRateLimited",
    "VendorRequestError",
    "VendorResponseError",
    "VendorUnavailable",
]
