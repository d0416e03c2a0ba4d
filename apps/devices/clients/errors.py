"""One exception hierarchy for every vendor client.

Messages say what went wrong and what a person can do about it. They never contain secrets: no
client secret, access/refresh token, API key or authorization code is ever formatted into a message
(``redact`` scrubs vendor-provided text before it is used).
"""

from __future__ import annotations

import re

_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(
        r"(?i)((?:access_token|refresh_token|client_secret|api_key|key|code|token|secret|password)"
        r"[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+"
    ),
]


def redact(text: str, *secrets: str | None) -> str:
    """Remove known secret values and token-looking fragments from ``text``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text


class VendorError(Exception):
    """Base class: a vendor call failed.

    ``vendor`` names the integration ("enode", "enphase", "pod"), ``status`` is the HTTP status when
    there was a response, ``detail`` is the vendor's own (redacted) explanation when it gave one.
    """

    def __init__(self, message: str, *, vendor: str = "", status: int | None = None, detail: str = ""):
        self.vendor = vendor
        self.status = status
        self.detail = detail
        prefix = f"{vendor}: " if vendor else ""
        suffix = f" (vendor said: {detail})" if detail else ""
        super().__init__(f"{prefix}{message}{suffix}")


class VendorAuthError(VendorError):
    """Credentials were refused (bad client id/secret, revoked consent, expired refresh token).

    Action: check the configured credentials, or ask the household to link the device again.
    """


class OAuthStateError(VendorAuthError):
    """The ``state`` returned to an OAuth callback does not match the one we issued (possible CSRF)."""


class VendorRateLimited(VendorError):
    """The vendor throttled us and retries were exhausted; ``retry_after`` [s] says when to try again."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class VendorUnavailable(VendorError):
    """The vendor did not answer usefully (5xx, timeout, connection refused) after our retries."""


class VendorRequestError(VendorError):
    """The vendor rejected our request as invalid (4xx other than auth/throttling), or not found."""


class VendorResponseError(VendorError):
    """The vendor answered 2xx but the body is not what its documentation describes."""


class VendorInputError(VendorError, ValueError):
    """A value we were about to send is invalid (e.g. a malformed POD); nothing was sent.

    ``template`` and ``params`` rebuild the message (``template % params``) so the Django side can show
    it in the user's language (the template is the gettext msgid; the clients know nothing of Django).
    """

    def __init__(self, message: str, *, template: str = "", params: dict | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.template = template or message
        self.params = params or {}
