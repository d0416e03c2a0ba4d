"""Enphase Enlighten Systems API client (network side).

The reference we were given (/work/shared/seeds/enphase-enlighten-api.txt) is the v2 OpenAPI: every
request carries the application's API key as the ``key`` query parameter and the household's
``user_id``; throttling is answered with **409** and a body naming the window
(``period``/``period_start``/``period_end``/``limit``). v4 keeps the paths and shapes, keeps ``key``,
replaces ``user_id`` with an OAuth 2 authorization-code bearer token and answers throttling with 429.
This client speaks both: pass ``user_id`` for v2-style access, or complete the OAuth flow (the token
lives in the injected ``token_store``). Both throttling answers are waited out (bounded).

OAuth flow (the devices app drives it):

1. ``state = new_oauth_state()``; keep it in the session; redirect to ``client.authorization_url(state)``.
2. On the callback: ``client.exchange_code(code, state=request_state, expected_state=session_state)``
   (raises ``OAuthStateError`` on mismatch, before any network call).
3. Calls then use the stored token; it is refreshed before expiry or after a 401.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx
import pandas as pd

from ..errors import OAuthStateError, VendorAuthError, VendorInputError, VendorRequestError
from ..http import (
    MemoryTokenStore,
    RetryPolicy,
    Token,
    TokenStore,
    VendorHttp,
    basic_auth_header,
    default_rate_limit,
    iter_pages,
)
from ..series import AssetFact, empty_hourly
from .parsers import (
    VENDOR,
    SystemSummary,
    _parse_consumption_lifetime,
    _parse_consumption_stats,
    _parse_energy_lifetime,
    _parse_stats,
    _parse_summary,
    _parse_system,
    _parse_systems_page,
)

AUTHORIZE_PATH = "/oauth/authorize"
TOKEN_PATH = "/oauth/token"


def new_oauth_state() -> str:
    """An unguessable ``state`` value for one authorization request (store it server-side)."""
    return secrets.token_urlsafe(32)


def check_oauth_state(received: str | None, expected: str | None) -> None:
    """Raise ``OAuthStateError`` unless the callback's ``state`` equals the one we issued."""
    if not expected:
        raise OAuthStateError(
            "no OAuth state was stored for this callback; start linking again", vendor=VENDOR
        )
    if not received or not hmac.compare_digest(received.encode(), expected.encode()):
        raise OAuthStateError(
            "the OAuth state in the callback does not match the one issued; the link was not made "
            "(start linking again from the portal)",
            vendor=VENDOR,
        )


def enphase_rate_limit(response: httpx.Response, now: float) -> float | None:
    """Throttling: 429 (+ Retry-After) or the documented 409 'usage limit exceeded' with period_end."""
    wait = default_rate_limit(response, now)
    if wait is not None or response.status_code != 409:
        return wait
    try:
        body = response.json()
    except ValueError:
        return -1.0
    if not isinstance(body, Mapping):
        return -1.0
    period_end = body.get("period_end")
    if period_end is not None:
        try:
            return max(0.0, float(period_end) - now) + 1.0
        except (TypeError, ValueError):
            return -1.0
    return -1.0


class _OAuthAuth:
    def __init__(self, client: EnphaseClient):
        self.c = client

    def authorization(self) -> str:
        token = self.c.token_store.load()
        if token is None:
            raise VendorAuthError(
                "no Enlighten authorization yet; the household must link their system first",
                vendor=VENDOR,
            )
        if not token.is_fresh(self.c.http.clock()):
            token = self.c.refresh()
        return token.authorization

    def invalidate(self) -> bool:
        token = self.c.token_store.load()
        if token is None or not token.refresh_token:
            return False
        self.c.refresh()
        return True


class _RateWindow:
    """Client-side pacing: at most ``per_minute`` requests in any 60 s window (plan limits)."""

    def __init__(self, per_minute: int, clock, sleep):
        self.per_minute, self.clock, self.sleep = per_minute, clock, sleep
        self.sent: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock()
        while self.sent and now - self.sent[0] >= 60:
            self.sent.popleft()
        if len(self.sent) >= self.per_minute:
            delay = 60 - (now - self.sent[0])
            if delay > 0:
                self.sleep(delay)
            self.sent.popleft()
        self.sent.append(self.clock())


class EnphaseClient:
    def __init__(
        self,
        *,
        api_url: str,
        api_key: str,
        auth_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uri: str | None = None,
        user_id: str | None = None,
        token_store: TokenStore | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        requests_per_minute: int | None = None,
        clock=time.time,
    ):
        """``api_url`` e.g. ``https://api.enphaseenergy.com/api/v4``; ``auth_url`` the OAuth host."""
        if not api_key:
            raise VendorAuthError("the Enlighten API key is not configured", vendor=VENDOR)
        self.api_key = api_key
        self.auth_url = (auth_url or "").rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.user_id = user_id
        self.token_store = token_store or MemoryTokenStore()
        self._refresh_lock = threading.RLock()
        self.http = VendorHttp(
            VENDOR,
            api_url,
            client=http_client,
            transport=transport,
            retry=retry,
            clock=clock,
            rate_limit=enphase_rate_limit,
            default_headers={"Accept": "application/json"},
            secrets=[api_key, client_secret],
        )
        self.http.auth = None if user_id else _OAuthAuth(self)
        self._pace = (
            _RateWindow(requests_per_minute, clock, self.http.retry.sleep) if requests_per_minute else None
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------------------------- OAuth

    def _require_oauth_config(self) -> None:
        if not (self.auth_url and self.client_id and self._client_secret and self.redirect_uri):
            raise VendorAuthError(
                "Enlighten OAuth is not configured (auth URL, client id, client secret, redirect URI)",
                vendor=VENDOR,
            )

    def authorization_url(self, state: str) -> str:
        """Where to send the household to grant access; ``state`` from ``new_oauth_state()``."""
        self._require_oauth_config()
        if not state:
            raise VendorInputError("an OAuth state is required", vendor=VENDOR)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "state": state,
            }
        )
        return f"{self.auth_url}{AUTHORIZE_PATH}?{query}"

    def _token_request(self, data: dict[str, str], what: str) -> Token:
        self._require_oauth_config()
        try:
            body = self.http.json(
                "POST",
                f"{self.auth_url}{TOKEN_PATH}",
                data=data,
                headers={"Authorization": basic_auth_header(self.client_id, self._client_secret)},
                authenticated=False,
                idempotent=False,
                what=what,
            )
        except (VendorRequestError, VendorAuthError) as exc:
            raise VendorAuthError(
                f"{what}: Enlighten refused the grant; the household must link their system again",
                vendor=VENDOR,
                status=exc.status,
                detail=exc.detail,
            ) from None
        token = Token.from_token_response(body, now=self.http.clock(), vendor=VENDOR)
        self.http.remember_secret(token.access_token, token.refresh_token)
        return token

    def exchange_code(self, code: str, *, state: str | None, expected_state: str | None) -> Token:
        """Callback step: verify ``state``, trade the code for tokens, store them, return them."""
        check_oauth_state(state, expected_state)
        if not code:
            raise VendorInputError("the callback carried no authorization code", vendor=VENDOR)
        self.http.remember_secret(code)
        token = self._token_request(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": self.redirect_uri},
            "exchange the authorization code",
        )
        self.token_store.save(token)
        return token

    def refresh(self, current: Token | None = None) -> Token:
        """Use the refresh token for a new access token (and store the rotated pair).

        Enlighten rotates refresh tokens, so two workers refreshing at once race: the loser's grant
        is refused. When that happens and the store meanwhile holds a newer, fresh token (the
        winner's), that token is used instead of failing. (A database store should still serialise
        refreshes, e.g. with ``select_for_update``.)
        """
        with self._refresh_lock:
            current = current or self.token_store.load()
            if current is None or not current.refresh_token:
                raise VendorAuthError(
                    "the Enlighten access expired and there is no refresh token; link the system again",
                    vendor=VENDOR,
                )
            try:
                token = self._token_request(
                    {"grant_type": "refresh_token", "refresh_token": current.refresh_token},
                    "refresh the access token",
                )
            except VendorAuthError:
                stored = self.token_store.load()
                if (
                    stored is not None
                    and stored.refresh_token != current.refresh_token
                    and stored.is_fresh(self.http.clock())
                ):
                    return stored
                raise
            if not token.refresh_token:
                token.refresh_token = current.refresh_token
            self.token_store.save(token)
            return token

    # -------------------------------------------------------------------------------------- calls

    def _get(self, path: str, params: Mapping[str, Any] | None = None, *, what: str) -> Any:
        query = {"key": self.api_key}
        if self.user_id:
            query["user_id"] = self.user_id
        query.update({k: v for k, v in (params or {}).items() if v is not None})
        if self._pace:
            self._pace.wait()
        return self.http.json("GET", path, params=query, what=what)

    def iter_systems(self, *, limit: int = 100):
        """Every system visible to the user (follows the ``next`` cursor)."""

        def fetch(cursor):
            body = self._get("/systems", {"limit": limit, "next": cursor}, what="list systems")
            return _parse_systems_page(body)

        return iter_pages(fetch)

    def list_systems(self, *, limit: int = 100) -> list[AssetFact]:
        return [_parse_system(obj) for obj in self.iter_systems(limit=limit)]

    def get_summary(self, system_id: int | str, summary_date: dt.date | None = None) -> Mapping[str, Any]:
        params = {"summary_date": summary_date.isoformat() if summary_date else None}
        return self._get(f"/systems/{system_id}/summary", params, what="get system summary")

    def get_system_summary(self, system_id: int | str) -> SystemSummary:
        return _parse_summary(self.get_summary(system_id))

    def get_energy_lifetime(
        self,
        system_id: int | str,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        *,
        production_all: bool = False,
    ) -> Mapping[str, Any]:
        params = {
            "start_date": start_date.isoformat() if start_date else None,
            "end_date": end_date.isoformat() if end_date else None,
            "production": "all" if production_all else None,
        }
        return self._get(f"/systems/{system_id}/energy_lifetime", params, what="get lifetime energy")

    def get_consumption_lifetime(
        self, system_id: int | str, start_date: dt.date | None = None, end_date: dt.date | None = None
    ) -> Mapping[str, Any] | None:
        """``None`` when the system has no consumption meter (204)."""
        params = {
            "start_date": start_date.isoformat() if start_date else None,
            "end_date": end_date.isoformat() if end_date else None,
        }
        return self._get(
            f"/systems/{system_id}/consumption_lifetime", params, what="get lifetime consumption"
        )

    def get_stats(self, system_id: int | str, start_at: int | None = None, end_at: int | None = None):
        """Raw 5-minute production intervals; Enlighten returns at most one day per call."""
        return self._get(
            f"/systems/{system_id}/stats",
            {"start_at": start_at, "end_at": end_at},
            what="get production stats",
        )

    def get_consumption_stats(
        self, system_id: int | str, start_at: int | None = None, end_at: int | None = None
    ):
        """Raw 15-minute consumption intervals; at most one month per call."""
        return self._get(
            f"/systems/{system_id}/consumption_stats",
            {"start_at": start_at, "end_at": end_at},
            what="get consumption stats",
        )

    def _hourly(self, fetch, parse, step: dt.timedelta, start: dt.datetime, end: dt.datetime) -> pd.Series:
        if start.tzinfo is None or end.tzinfo is None:
            raise VendorInputError("start and end must be timezone-aware datetimes", vendor=VENDOR)
        parts = []
        cursor = int(start.timestamp())
        stop = int(end.timestamp())
        while cursor < stop:
            window_end = min(stop, cursor + int(step.total_seconds()))
            # windows never exceed what one call returns (1 day for stats, 1 month for consumption)
            try:
                parts.append(parse(fetch(cursor, window_end)))
            except VendorRequestError as exc:
                # The document's 422: the window is before the system started producing, or starts after
                # its last reported interval (at night). No data there; the other windows still count.
                if exc.status != 422:
                    raise
            cursor = window_end
        parts = [p for p in parts if len(p)]
        if not parts:
            return empty_hourly()
        series = pd.concat(parts)
        series = series.groupby(level=0).sum(min_count=1).sort_index()
        series.name = "kwh"
        lo, hi = pd.Timestamp(start).tz_convert("UTC").floor("h"), pd.Timestamp(end).tz_convert("UTC")
        return series[(series.index >= lo) & (series.index < hi)]

    def get_production_hourly(self, system_id: int | str, start: dt.datetime, end: dt.datetime) -> pd.Series:
        """Production [kWh per UTC hour] over ``[start, end)``, fetched one day at a time."""
        return self._hourly(
            lambda a, b: self.get_stats(system_id, a, b), _parse_stats, dt.timedelta(days=1), start, end
        )

    def get_consumption_hourly(self, system_id: int | str, start: dt.datetime, end: dt.datetime) -> pd.Series:
        """Consumption [kWh per UTC hour] over ``[start, end)``, fetched up to 28 days at a time."""
        return self._hourly(
            lambda a, b: self.get_consumption_stats(system_id, a, b),
            _parse_consumption_stats,
            dt.timedelta(days=28),
            start,
            end,
        )

    def get_daily_production(self, system_id, start_date: dt.date, end_date: dt.date) -> pd.Series:
        return _parse_energy_lifetime(self.get_energy_lifetime(system_id, start_date, end_date))

    def get_daily_consumption(self, system_id, start_date: dt.date, end_date: dt.date) -> pd.Series:
        body = self.get_consumption_lifetime(system_id, start_date, end_date)
        return _parse_consumption_lifetime(body) if body else pd.Series([], dtype="float64", name="kwh")
