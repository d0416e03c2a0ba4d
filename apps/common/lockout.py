"""Limits on guessing credentials: failed logins per account and per client address, failed API keys per
client address. Why: without them a password or key can be guessed at the web workers' full speed (issue 15).
Also a plain request rate (`rate_exceeded`) for expensive anonymous pages.

Failures are counted in the shared cache (CACHE_URL: Redis in production, so every process counts the same).
When a counter reaches its limit the subject is locked out for the window; the views answer 429 with
`Retry-After` and do not even try the credential. After the window the right credential works again. A
successful login clears its account's counter (the address counter keeps counting: one address trying many
accounts is the pattern it exists for)."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger("apps.security")


@dataclass(frozen=True)
class Limit:
    scope: str
    max_failures: int
    window_s: int


# Numbers: a person mistyping stays far below them; a guesser is slowed to a few tries per minute.
LOGIN_PER_ACCOUNT = Limit("login-account", max_failures=10, window_s=15 * 60)
LOGIN_PER_ADDRESS = Limit("login-address", max_failures=50, window_s=15 * 60)
API_KEY_PER_ADDRESS = Limit("apikey-address", max_failures=50, window_s=15 * 60)


def client_address(request) -> str:
    """The caller's address as DRF's throttles see it (REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES)."""
    return BaseThrottle().get_ident(request) or "unknown"


def _key(limit: Limit, subject: str, kind: str) -> str:
    digest = hashlib.sha256(subject.strip().lower().encode()).hexdigest()[:32]
    return f"lockout:{kind}:{limit.scope}:{digest}"


def retry_after(*checks: tuple[Limit, str]) -> int | None:
    """Seconds until the longest running lockout among `checks` ends, or None if none is locked."""
    now = time.time()
    waits = [
        math.ceil(until - now)
        for limit, subject in checks
        if (until := cache.get(_key(limit, subject, "until"))) and until > now
    ]
    return max(waits) if waits else None


def record_failure(limit: Limit, subject: str) -> None:
    """Count one failure; at the limit, lock the subject out for the window and log it."""
    count_key = _key(limit, subject, "count")
    cache.add(count_key, 0, timeout=limit.window_s)
    try:
        count = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, timeout=limit.window_s)
        count = 1
    logger.info("credential failure %s for %s (%d/%d)", limit.scope, subject, count, limit.max_failures)
    if count >= limit.max_failures:
        cache.set(_key(limit, subject, "until"), time.time() + limit.window_s, timeout=limit.window_s)
        cache.delete(count_key)
        logger.warning("locked out %s for %s for %d s", limit.scope, subject, limit.window_s)


def clear(limit: Limit, subject: str) -> None:
    cache.delete(_key(limit, subject, "count"))


@dataclass(frozen=True)
class Rate:
    """At most `per_window` requests per subject in each fixed window of `window_s` seconds."""

    scope: str
    per_window: int
    window_s: int


# The anonymous share PDF: a homeowner downloads it a few times; a stored PDF is cheap, a new one is 4–9 s.
SHARE_PDF_PER_ADDRESS = Rate("share-pdf-address", per_window=20, window_s=60)


def rate_exceeded(rate: Rate, subject: str) -> int | None:
    """Count this request; the seconds until the window ends if the subject is over its rate, else None."""
    now = time.time()
    window = int(now // rate.window_s)
    key = f"rate:{rate.scope}:{window}:{hashlib.sha256(subject.encode()).hexdigest()[:32]}"
    cache.add(key, 0, timeout=rate.window_s)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=rate.window_s)
        count = 1
    if count <= rate.per_window:
        return None
    if count == rate.per_window + 1:
        logger.warning("rate %s exceeded by %s", rate.scope, subject)
    return max(1, math.ceil((window + 1) * rate.window_s - now))
