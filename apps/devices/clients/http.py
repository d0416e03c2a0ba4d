"""Shared HTTP plumbing for the vendor clients (no Django).

- ``VendorHttp`` wraps one ``httpx.Client``: timeouts, retries with exponential backoff on 5xx and
  transport errors, waits on throttling (429 + ``Retry-After``, or a vendor-specific rule such as
  Enphase's 409 "usage limit exceeded"), one token refresh and retry on 401, and a mapping of every
  failure onto :mod:`apps.devices.clients.errors`.
- ``Token`` / token stores / ``ClientCredentialsAuth``: OAuth 2 client-credentials tokens cached
  until shortly before expiry (in memory, and through an injectable store so several processes share
  one token), refreshed when expired or refused.
- ``iter_pages``: cursor pagination as a generator.

Everything that waits goes through the injectable ``sleep`` and ``clock`` so tests run instantly.
Logs carry method, path (never the query string: Enphase puts its API key there), status and
attempt number; never headers or bodies.
"""

from __future__ import annotations

import base64
import email.utils
import logging
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from .errors import (
    VendorAuthError,
    VendorError,
    VendorRateLimited,
    VendorRequestError,
    VendorResponseError,
    VendorUnavailable,
    redact,
)

logger = logging.getLogger("apps.devices.clients")


class RedactSecretsFilter(logging.Filter):
    """Masks secret-bearing query parameters in log records.

    httpx logs every request URL at INFO ("HTTP Request: GET https://...?key=..."); Enphase's API key
    travels in the query string, OAuth codes in callback URLs. This filter is attached to the
    ``httpx`` logger when this module is imported (and can be attached to any other logger).
    """

    _QUERY = re.compile(
        r"(?i)([?&](?:key|api_key|code|access_token|refresh_token|client_secret|token|user_id)=)[^&\s\"'#]+"
    )

    def _mask(self, value):
        return self._QUERY.sub(r"\1***", str(value)) if isinstance(value, str | httpx.URL) else value

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self._QUERY.sub(r"\1***", record.msg)
        if isinstance(record.args, Mapping):  # gunicorn's access log formats with a dict of atoms
            record.args = {key: self._mask(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(self._mask(value) for value in record.args)
        return True


def install_log_redaction(logger_name: str = "httpx") -> None:
    target = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactSecretsFilter) for f in target.filters):
        target.addFilter(RedactSecretsFilter())


install_log_redaction()

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


# --------------------------------------------------------------------------------------------- tokens


@dataclass
class Token:
    """An OAuth access token. ``expires_at`` is Unix time [s]; ``None`` means unknown (treat as valid)."""

    access_token: str = field(repr=False)
    expires_at: float | None = None
    refresh_token: str | None = field(default=None, repr=False)
    token_type: str = "Bearer"
    scope: str | None = None

    def is_fresh(self, now: float, skew: float = 60.0) -> bool:
        return self.expires_at is None or now < self.expires_at - skew

    @property
    def authorization(self) -> str:
        kind = "Bearer" if self.token_type.lower() == "bearer" else self.token_type
        return f"{kind} {self.access_token}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "expires_at": self.expires_at,
            "refresh_token": self.refresh_token,
            "token_type": self.token_type,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Token:
        return cls(
            access_token=data["access_token"],
            expires_at=data.get("expires_at"),
            refresh_token=data.get("refresh_token"),
            token_type=data.get("token_type") or "Bearer",
            scope=data.get("scope"),
        )

    @classmethod
    def from_token_response(cls, body: Mapping[str, Any], *, now: float, vendor: str) -> Token:
        """Build a token from an RFC 6749 §5.1 token response body (``expires_in`` in seconds)."""
        if not isinstance(body, Mapping) or not body.get("access_token"):
            raise VendorResponseError("token endpoint answered without an access_token", vendor=vendor)
        expires_in = body.get("expires_in")
        try:
            expires_at = now + float(expires_in) if expires_in is not None else None
        except (TypeError, ValueError):
            expires_at = None
        return cls(
            access_token=str(body["access_token"]),
            expires_at=expires_at,
            refresh_token=body.get("refresh_token"),
            token_type=str(body.get("token_type") or "Bearer"),
            scope=body.get("scope"),
        )


class TokenStore(Protocol):
    """Where tokens live between calls/processes (the Django app will back this with the database)."""

    def load(self) -> Token | None: ...

    def save(self, token: Token | None) -> None: ...


class MemoryTokenStore:
    def __init__(self, token: Token | None = None):
        self.token = token

    def load(self) -> Token | None:
        return self.token

    def save(self, token: Token | None) -> None:
        self.token = token


class CallbackTokenStore:
    """Adapts two callables (``load() -> dict | None``, ``save(dict | None)``) into a ``TokenStore``."""

    def __init__(self, load: Callable[[], Mapping[str, Any] | None], save: Callable[[dict | None], None]):
        self._load, self._save = load, save

    def load(self) -> Token | None:
        data = self._load()
        return Token.from_dict(data) if data else None

    def save(self, token: Token | None) -> None:
        self._save(token.to_dict() if token else None)


class AuthProvider(Protocol):
    def authorization(self) -> str:
        """The ``Authorization`` header value, fetching or refreshing a token if needed."""

    def invalidate(self) -> bool:
        """Forget the current access token after a 401; return True if a retry may succeed."""


# ----------------------------------------------------------------------------------------- retries


@dataclass
class RetryPolicy:
    """How hard to try. Waits [s]; ``sleep``/``rng`` are injectable for tests."""

    max_retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 120.0  # longer throttling waits are not slept through: we raise instead
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=lambda: random.Random())

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with 'equal jitter': half fixed, half random, capped."""
        cap = min(self.backoff_max, self.backoff_base * (2**attempt))
        return cap / 2 + self.rng.uniform(0, cap / 2)


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """``Retry-After`` as seconds from now; accepts delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


def default_rate_limit(response: httpx.Response, now: float) -> float | None:
    """Seconds to wait when ``response`` is a throttling answer, else ``None`` (429 only)."""
    if response.status_code == 429:
        wait = parse_retry_after(response.headers.get("Retry-After"), now=now)
        return -1.0 if wait is None else wait  # -1: throttled, no hint -> use backoff
    return None


def default_error_detail(response: httpx.Response) -> str:
    """Best-effort short text from an error body (problem+json ``detail``/``title``, or common keys)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() if response.text and "<html" not in response.text.lower() else ""
    parts: list[str] = []
    if isinstance(body, Mapping):
        for key in ("title", "detail", "message", "error_description", "error", "reason", "errorMessages"):
            val = body.get(key)
            if isinstance(val, list):
                val = "; ".join(str(v) for v in val)
            if val and str(val) not in parts:
                parts.append(str(val))
    return " - ".join(parts)[:300]


# -------------------------------------------------------------------------------------------- http


class VendorHttp:
    """One vendor's HTTP session. Give it either an ``httpx.Client`` or a transport (or neither)."""

    def __init__(
        self,
        vendor: str,
        base_url: str,
        *,
        client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        auth: AuthProvider | None = None,
        clock: Callable[[], float] = time.time,
        rate_limit: Callable[[httpx.Response, float], float | None] = default_rate_limit,
        error_detail: Callable[[httpx.Response], str] = default_error_detail,
        default_headers: Mapping[str, str] | None = None,
        secrets: Iterable[str | None] = (),
    ):
        self.vendor = vendor
        self.base_url = base_url.rstrip("/")
        self._own_client = client is None
        self.client = client or httpx.Client(transport=transport, timeout=timeout)
        self.retry = retry or RetryPolicy()
        self.auth = auth
        self.clock = clock
        self.rate_limit = rate_limit
        self.error_detail = error_detail
        self.default_headers = dict(default_headers or {})
        self.secrets = [s for s in secrets if s]  # configured secrets, kept for the client's life
        self._recent_secrets: deque[str] = deque(maxlen=32)  # tokens and codes seen lately

    def remember_secret(self, *values: str | None) -> None:
        """Values to scrub from error details (tokens, codes); the newest 32 are kept."""
        for value in values:
            if value and value not in self._recent_secrets:
                self._recent_secrets.append(value)

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _detail(self, response: httpx.Response) -> str:
        return redact(self.error_detail(response), *self.secrets, *self._recent_secrets)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
        idempotent: bool | None = None,
        what: str = "",
    ) -> httpx.Response:
        """Send a request with retries; return the 2xx response or raise a ``VendorError``.

        ``what`` is a short human description ("list inverters") used in error messages.
        """
        method = method.upper()
        url = self.url(path)
        shown = httpx.URL(url).path  # never the query string (may hold an API key)
        what = what or f"{method} {shown}"
        retry_5xx = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        attempt = 0
        auth_retried = False
        while True:
            send_headers = {**self.default_headers, **(headers or {})}
            if authenticated and self.auth is not None:
                send_headers["Authorization"] = self.auth.authorization()
            try:
                response = self.client.request(
                    method, url, params=params, json=json, data=data, headers=send_headers
                )
            except httpx.TimeoutException as exc:
                if retry_5xx and attempt < self.retry.max_retries:
                    self._sleep(self.retry.backoff(attempt), shown, "timeout", attempt)
                    attempt += 1
                    continue
                raise VendorUnavailable(
                    f"{what}: no answer within the timeout after {attempt + 1} attempt(s) "
                    f"({type(exc).__name__}); the vendor may be slow or down, try again later",
                    vendor=self.vendor,
                ) from None
            except httpx.TransportError as exc:
                if retry_5xx and attempt < self.retry.max_retries:
                    self._sleep(self.retry.backoff(attempt), shown, type(exc).__name__, attempt)
                    attempt += 1
                    continue
                raise VendorUnavailable(
                    f"{what}: could not reach {httpx.URL(url).host} ({type(exc).__name__}) after "
                    f"{attempt + 1} attempt(s); check the base URL and network",
                    vendor=self.vendor,
                ) from None

            status = response.status_code
            logger.info("%s %s %s -> %s (attempt %d)", self.vendor, method, shown, status, attempt + 1)
            if 200 <= status < 300:
                return response

            if status == 401 and authenticated and self.auth is not None and not auth_retried:
                auth_retried = True
                if self.auth.invalidate():
                    logger.info("%s: 401 on %s, refreshing the token and retrying once", self.vendor, shown)
                    continue
            if status in (401, 403):
                raise VendorAuthError(
                    f"{what}: access refused (HTTP {status}); check the client credentials or API key, "
                    "or ask the household to link the device again",
                    vendor=self.vendor,
                    status=status,
                    detail=self._detail(response),
                )

            wait = self.rate_limit(response, self.clock())
            if wait is not None:
                hinted = wait >= 0
                wait = wait if hinted else self.retry.backoff(attempt)
                if attempt < self.retry.max_retries and wait <= self.retry.max_retry_after:
                    self._sleep(wait, shown, f"throttled ({status})", attempt)
                    attempt += 1
                    continue
                raise VendorRateLimited(
                    f"{what}: rate limit reached (HTTP {status})"
                    + (f"; try again in {wait:.0f} s" if hinted else "; try again later"),
                    vendor=self.vendor,
                    status=status,
                    retry_after=wait if hinted else None,
                    detail=self._detail(response),
                )

            if status >= 500:
                if retry_5xx and attempt < self.retry.max_retries:
                    hint = parse_retry_after(response.headers.get("Retry-After"), now=self.clock())
                    wait = hint if hint is not None and hint <= self.retry.max_retry_after else None
                    self._sleep(
                        wait if wait is not None else self.retry.backoff(attempt), shown, str(status), attempt
                    )
                    attempt += 1
                    continue
                raise VendorUnavailable(
                    f"{what}: the vendor's service failed (HTTP {status}) after {attempt + 1} attempt(s); "
                    "this is on their side, try again later",
                    vendor=self.vendor,
                    status=status,
                    detail=self._detail(response),
                )

            raise VendorRequestError(
                f"{what}: request rejected (HTTP {status})"
                + ("; the resource was not found" if status == 404 else ""),
                vendor=self.vendor,
                status=status,
                detail=self._detail(response),
            )

    def _sleep(self, seconds: float, path: str, reason: str, attempt: int) -> None:
        logger.warning("%s %s: %s, retry %d in %.1f s", self.vendor, path, reason, attempt + 1, seconds)
        self.retry.sleep(seconds)

    def json(self, method: str, path: str, **kwargs) -> Any:
        """``request`` and decode JSON; an empty 204 gives ``None``."""
        response = self.request(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise VendorResponseError(
                f"{kwargs.get('what') or path}: the answer is not JSON (HTTP {response.status_code})",
                vendor=self.vendor,
                status=response.status_code,
            ) from None


# ------------------------------------------------------------------------------- client credentials


def basic_auth_header(user: str, password: str) -> str:
    """HTTP Basic credentials (RFC 7617); client ids/secrets are URL-encoded first (RFC 6749 §2.3.1)."""
    from urllib.parse import quote

    raw = f"{quote(user, safe='')}:{quote(password, safe='')}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


class ClientCredentialsAuth:
    """OAuth 2 client-credentials grant (RFC 6749 §4.4) with caching and refresh.

    ``style="basic"`` sends the id/secret as HTTP Basic (Enode), ``"body"`` as form fields (POD).
    The token is reused until ``skew`` seconds before it expires; a 401 from the API drops it.
    """

    def __init__(
        self,
        *,
        http: VendorHttp,
        token_url: str,
        client_id: str,
        client_secret: str,
        style: str = "basic",
        scope: str | None = None,
        store: TokenStore | None = None,
        skew: float = 60.0,
    ):
        if not client_id or not client_secret:
            raise VendorAuthError("client id and client secret must both be configured", vendor=http.vendor)
        self.http = http
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.style = style
        self.scope = scope
        self.store = store or MemoryTokenStore()
        self.skew = skew
        self._token: Token | None = None
        self._lock = threading.Lock()  # one token fetch at a time when threads share the client
        if client_secret not in http.secrets:
            http.secrets.append(client_secret)

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def token(self) -> Token:
        with self._lock:
            now = self.http.clock()
            if self._token is None:
                self._token = self.store.load()
            if self._token is not None and self._token.is_fresh(now, self.skew):
                return self._token
            return self.fetch()

    def fetch(self) -> Token:
        data = {"grant_type": "client_credentials"}
        if self.scope:
            data["scope"] = self.scope
        if self.style == "basic":
            headers = {"Authorization": basic_auth_header(self.client_id, self._secret)}
        else:
            data.update(client_id=self.client_id, client_secret=self._secret)
            headers = {}
        try:
            body = self.http.json(
                "POST",
                self.token_url,
                data=data,
                headers=headers,
                authenticated=False,
                idempotent=True,
                what="get an access token",
            )
        except (VendorRequestError, VendorAuthError) as exc:  # 400 invalid_client and friends
            raise VendorAuthError(
                "the token endpoint refused the client credentials; check the client id and secret",
                vendor=self.http.vendor,
                status=exc.status,
                detail=exc.detail,
            ) from None
        token = Token.from_token_response(body, now=self.http.clock(), vendor=self.http.vendor)
        self.http.remember_secret(token.access_token)
        self._token = token
        self.store.save(token)
        return token

    def authorization(self) -> str:
        return self.token().authorization

    def invalidate(self) -> bool:
        with self._lock:
            self._token = None
            self.store.save(None)
        return True


# ------------------------------------------------------------------------------------- pagination


def iter_pages(
    fetch: Callable[[str | None], tuple[list[Any], str | None]], *, max_pages: int = 10_000
) -> Iterator[Any]:
    """Yield items across cursor pages. ``fetch(cursor) -> (items, next_cursor or None)``.

    Stops on an empty/missing cursor, and refuses to loop on a cursor it has already seen.
    """
    cursor: str | None = None
    seen: set[str] = set()
    for _ in range(max_pages):
        items, nxt = fetch(cursor)
        yield from items
        if not nxt or nxt in seen:
            return
        seen.add(nxt)
        cursor = nxt
    raise VendorError(f"pagination did not end after {max_pages} pages")
