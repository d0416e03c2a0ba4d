"""Fake Enphase Enlighten Systems API (shapes per /work/shared/seeds/enphase-enlighten-api.txt).

- ``GET /oauth/authorize`` (simulated consent: redirects at once to ``redirect_uri?code&state``),
  ``POST /oauth/token`` (HTTP Basic client auth; ``authorization_code`` and ``refresh_token`` grants;
  refresh tokens rotate; parameters accepted as form fields or query string).
- ``/api/v4/systems...``: ``key`` query parameter + bearer token. ``/api/v2/systems...``: ``key`` +
  ``user_id`` query parameters (the document's scheme). Same handlers and bodies.
- Endpoints: systems (``limit``/``next``), summary, energy_lifetime, consumption_lifetime (204
  without a consumption meter), stats (5 min, <= 1 day, night gaps left out), consumption_stats
  (15 min, <= 1 month). Errors use the document's ClientError / ConflictError (409 usage limit with
  ``period_end``) / UnprocessableEntityError / ServerError bodies; v4 throttling answers 429.
- ``plan_limit_per_minute`` enforces a per-minute quota like the document's "plan Watt" example.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import secrets
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from . import household as hh
from .base import FakeVendorApp, Request, Response, redirect

API_KEY = "fake-enphase-api-key"
CLIENT_ID = "fake-enphase-client"
CLIENT_SECRET = "fake-enphase-secret"
USER_ID = "4d6a51330a"
TZ = "Europe/Amsterdam"
OPERATIONAL = dt.date(2022, 4, 12)


@functools.lru_cache(maxsize=64)
def _daily_wh(quantity: str, start: dt.date, end: dt.date) -> tuple[int, ...]:
    """Wh per local day from ``start`` to ``end`` inclusive (cached: summaries ask for years)."""
    if end < start:
        return ()
    hourly = hh.hourly(
        quantity,
        pd.Timestamp(start).tz_localize(TZ),
        pd.Timestamp(end + dt.timedelta(days=1)).tz_localize(TZ),
    )
    daily = hourly.groupby(hourly.index.tz_convert(TZ).date).sum()
    return tuple(int(round(v * 1000)) for v in daily.to_numpy())


class FakeEnphase(FakeVendorApp):
    vendor = "enphase"
    token_paths = ("/oauth/token", "/oauth/authorize")

    def __init__(
        self,
        *,
        api_key: str = API_KEY,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        user_id: str = USER_ID,
        systems: int = 1,
        token_ttl: float = 86400,
        has_consumption_meter: bool = True,
        plan_limit_per_minute: int | None = None,
        now: dt.datetime | None = None,
        operational: dt.date = OPERATIONAL,
        last_interval_lag: dt.timedelta = dt.timedelta(0),
        consumption_permission: bool = True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.api_key, self.client_id, self.client_secret = api_key, client_id, client_secret
        self.user_id, self.token_ttl = user_id, token_ttl
        self.has_consumption_meter = has_consumption_meter
        self.plan_limit = plan_limit_per_minute
        self.fixed_now = now
        # The document's 422s: stats before the system started producing, or starting after its last
        # reported interval (at night the microinverters report nothing for hours: last_interval_lag).
        self.operational = operational
        self.last_interval_lag = last_interval_lag
        # Without the consumption permission the document answers consumption_stats with 401.
        self.consumption_permission = consumption_permission
        self.codes: dict[str, str] = {}  # code -> redirect_uri
        self.refresh_tokens: set[str] = set()
        self._minute: tuple[int, int] = (0, 0)
        names = ["Zonnedak Utrecht", "Schuur Utrecht", "Carport", "Vakantiehuis Texel", "Kantoor"]
        self.systems = [
            {
                "system_id": 1765 + i,
                "system_name": names[i % len(names)] + ("" if i < len(names) else f" {i}"),
                "system_public_name": "Residential System",
                "status": "normal",
                "timezone": TZ,
                "country": "NL",
                "state": "UT",
                "city": "Utrecht",
                "postal_code": "3511",
                "connection_type": "wifi",
            }
            for i in range(systems)
        ]
        self.route("GET", "/oauth/authorize", self.authorize)
        self.route("POST", "/oauth/token", self.token)
        for version in ("v2", "v4"):
            base = f"/api/{version}/systems"
            self.route("GET", base, self.list_systems)
            self.route("GET", base + "/{system_id}/summary", self.summary)
            self.route("GET", base + "/{system_id}/energy_lifetime", self.energy_lifetime)
            self.route("GET", base + "/{system_id}/consumption_lifetime", self.consumption_lifetime)
            self.route("GET", base + "/{system_id}/stats", self.stats)
            self.route("GET", base + "/{system_id}/consumption_stats", self.consumption_stats)

    def now(self) -> dt.datetime:
        return self.fixed_now or dt.datetime.fromtimestamp(self.clock(), tz=dt.UTC)

    # ------------------------------------------------------------------------------------ errors

    def failure_response(self, status: int, retry_after: float | None) -> Response:
        now = int(self.now().timestamp())
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        if status == 409:
            wait = int(retry_after if retry_after is not None else 60)
            return Response(
                409,
                {
                    "reason": "409",
                    "message": ["Usage limit exceeded for plan Watt"],
                    "period": "minute",
                    "period_start": now - 60 + wait,
                    "period_end": now + wait,
                    "limit": self.plan_limit or 10,
                },
            )
        if status == 429:
            return Response(
                429,
                {
                    "message": "Too Many Requests",
                    "details": "User has exceeded the requests per minute limit",
                },
                headers,
            )
        if status == 401:
            return self._client_error()
        if status >= 500:
            return Response(
                status, {"errorCode": 7, "errorMessages": ["Data temporarily unavailable."]}, headers
            )
        return Response(status, {"reason": str(status), "message": ["Injected by the fake server."]}, headers)

    def error(self, status: int, message: str) -> Response:
        return Response(status, {"reason": str(status), "message": [message]})

    @staticmethod
    def _client_error() -> Response:
        return Response(401, {"reason": "401", "message": ["Not authorized to access requested resource."]})

    def _unprocessable(self, message: str, **extra) -> Response:
        return Response(422, {"reason": "422", "message": message, "errorMessages": [message], **extra})

    def _check(self, req: Request) -> Response | None:
        """Key, then user (v2: user_id, v4: bearer), then the per-minute plan limit."""
        if req.arg("key") != self.api_key:
            return self._client_error()
        if req.path.startswith("/api/v2/"):
            if req.arg("user_id") != self.user_id:
                return self._client_error()
        elif not self.tokens.valid(req.bearer()):
            return self._client_error()
        if self.plan_limit:
            minute = int(self.now().timestamp() // 60)
            window, count = self._minute
            count = count + 1 if window == minute else 1
            self._minute = (minute, count)
            if count > self.plan_limit:
                wait = (minute + 1) * 60 - self.now().timestamp()
                if req.path.startswith("/api/v4/"):
                    return self.failure_response(429, float(max(1, math.ceil(wait))))
                return self.failure_response(409, wait)
        return None

    def _system(self, req: Request) -> dict[str, Any] | None:
        try:
            sid = int(req.params["system_id"])
        except ValueError:
            return None
        return next((s for s in self.systems if s["system_id"] == sid), None)

    def _meta(self) -> dict[str, Any]:
        now = int(self.now().timestamp())
        return {
            "status": "normal",
            "last_report_at": now - 300,
            "last_energy_at": now - 600,
            "operational_at": int(pd.Timestamp(self.operational).tz_localize(TZ).timestamp()),
        }

    # ------------------------------------------------------------------------------------- OAuth

    def authorize(self, req: Request) -> Response:
        if req.arg("client_id") != self.client_id or req.arg("response_type") != "code":
            return Response(
                400, {"error": "invalid_request", "error_description": "unknown client or response_type"}
            )
        redirect_uri = req.arg("redirect_uri")
        if not redirect_uri:
            return Response(
                400, {"error": "invalid_request", "error_description": "redirect_uri is required"}
            )
        code = secrets.token_urlsafe(8)
        self.codes[code] = redirect_uri
        query = {"code": code}
        if req.arg("state") is not None:
            query["state"] = req.arg("state")
        sep = "&" if "?" in redirect_uri else "?"
        return redirect(f"{redirect_uri}{sep}{urlencode(query)}")

    def token(self, req: Request) -> Response:
        if req.basic() != (self.client_id, self.client_secret):
            return Response(401, {"error": "unauthorized", "error_description": "Bad client credentials"})
        params = {k: v[0] for k, v in req.query.items()} | req.form()
        grant = params.get("grant_type")
        if grant == "authorization_code":
            code = params.get("code", "")
            if self.codes.pop(code, None) != params.get("redirect_uri"):
                return Response(
                    400, {"error": "invalid_grant", "error_description": "Invalid authorization code"}
                )
        elif grant == "refresh_token":
            refresh = params.get("refresh_token", "")
            if refresh not in self.refresh_tokens:
                return Response(401, {"error": "invalid_grant", "error_description": "Invalid refresh token"})
            self.refresh_tokens.discard(refresh)
        else:
            return Response(400, {"error": "unsupported_grant_type"})
        access = self.tokens.issue(self.token_ttl, "enl")
        refresh = secrets.token_urlsafe(24)
        self.refresh_tokens.add(refresh)
        return Response(
            200,
            {
                "access_token": access,
                "token_type": "bearer",
                "refresh_token": refresh,
                "expires_in": int(self.token_ttl) - 1,
                "scope": "read write",
                "enl_uid": self.user_id,
                "enl_cid": "7",
                "is_internal_app": False,
                "app_type": "partner",
                "jti": secrets.token_hex(8),
            },
        )

    # ------------------------------------------------------------------------------------ routes

    def list_systems(self, req: Request) -> Response:
        if denied := self._check(req):
            return denied
        try:
            limit = int(req.arg("limit", "100"))
            offset = int(req.arg("next"), 16) if req.arg("next") else 0
        except ValueError:
            return self._unprocessable("limit must be an integer and next a cursor from a previous page")
        if not 1 <= limit <= 1000:
            return self._unprocessable("limit must be between 1 and 1000")
        page = self.systems[offset : offset + limit]
        body: dict[str, Any] = {"systems": [dict(s, meta=self._meta()) for s in page]}
        if offset + limit < len(self.systems):
            body["next"] = f"{offset + limit:x}"
        return Response(200, body)

    def _local_midnight(self, day: dt.date) -> pd.Timestamp:
        return pd.Timestamp(day).tz_localize(TZ)

    def _daily_wh(self, quantity: str, start: dt.date, end: dt.date) -> list[int]:
        if end < start:
            return []
        hourly = hh.hourly(
            quantity, self._local_midnight(start), self._local_midnight(end + dt.timedelta(days=1))
        )
        daily = hourly.tz_convert(TZ).groupby(hourly.index.tz_convert(TZ).date).sum()
        return [int(round(v * 1000)) for v in daily.to_numpy()]

    def summary(self, req: Request) -> Response:
        if denied := self._check(req):
            return denied
        system = self._system(req)
        if system is None:
            return self.error(404, "System not found")
        now = pd.Timestamp(self.now()).tz_convert(TZ)
        today = now.date()
        lifetime = sum(self._daily_wh("pv", OPERATIONAL, today - dt.timedelta(days=1)))
        today_wh = hh.hourly("pv", self._local_midnight(today), now.tz_convert("UTC").floor("h"))
        current = hh.hourly("pv", now.floor("h"), now.floor("h") + pd.Timedelta(hours=1))
        return Response(
            200,
            {
                "system_id": system["system_id"],
                "current_power": int(round(float(current.iloc[0]) * 1000)),
                "energy_lifetime": lifetime,
                "energy_today": int(round(float(today_wh.sum()) * 1000)),
                "last_interval_end_at": int(now.timestamp()) - 300,
                "last_report_at": int(now.timestamp()) - 120,
                "modules": 12,
                "operational_at": self._meta()["operational_at"],
                "size_w": int(hh.PV_KWP * 1000),
                "source": "microinverters",
                "status": "normal",
                "summary_date": today.isoformat(),
            },
        )

    def _dates(self, req: Request) -> tuple[dt.date, dt.date] | Response:
        yesterday = pd.Timestamp(self.now()).tz_convert(TZ).date() - dt.timedelta(days=1)
        try:
            start = (
                dt.date.fromisoformat(req.arg("start_date")) if req.arg("start_date") else self.operational
            )
            end = dt.date.fromisoformat(req.arg("end_date")) if req.arg("end_date") else yesterday
        except ValueError:
            return self._unprocessable("start_date and end_date must be YYYY-MM-DD")
        if start > end:
            return self._unprocessable(
                "start_date must not be after end_date", start=start.isoformat(), end=end.isoformat()
            )
        return max(start, self.operational), min(end, yesterday)

    def energy_lifetime(self, req: Request) -> Response:
        if denied := self._check(req):
            return denied
        system = self._system(req)
        if system is None:
            return self.error(404, "System not found")
        dates = self._dates(req)
        if isinstance(dates, Response):
            return dates
        start, end = dates
        production = self._daily_wh("pv", start, end)
        body: dict[str, Any] = {
            "start_date": start.isoformat(),
            "system_id": system["system_id"],
            "production": production,
            "meta": self._meta(),
        }
        if req.arg("production") == "all":
            body["micro_production"] = production
            body["meter_production"] = []
        return Response(200, body)

    def consumption_lifetime(self, req: Request) -> Response:
        if denied := self._check(req):
            return denied
        system = self._system(req)
        if system is None:
            return self.error(404, "System not found")
        if not self.has_consumption_meter:
            return Response(204)
        dates = self._dates(req)
        if isinstance(dates, Response):
            return dates
        start, end = dates
        return Response(
            200,
            {
                "start_date": start.isoformat(),
                "system_id": system["system_id"],
                "consumption": self._daily_wh("load", start, end),
                "meta": self._meta(),
            },
        )

    def _window(self, req: Request, step: int, cap: pd.Timedelta) -> tuple[int, int] | Response:
        now = int((self.now() - self.last_interval_lag).timestamp())  # the last reported interval
        midnight = int(pd.Timestamp(self.now()).tz_convert(TZ).normalize().timestamp())
        try:
            start = int(req.arg("start_at")) if req.arg("start_at") else midnight
            end = int(req.arg("end_at")) if req.arg("end_at") else now
        except ValueError:
            return self._unprocessable("start_at and end_at must be Unix times")
        start -= start % step
        if start >= now:
            return self._unprocessable(
                "Requested start time is after the last reported interval",
                start_at=start,
                end_at=end,
                last_interval=now - now % step,
            )
        started = int(pd.Timestamp(self.operational).tz_localize(TZ).timestamp())
        if end <= started:
            return self._unprocessable(
                "Requested period is before the system started producing",
                start_at=start,
                end_at=end,
                first_interval=started + step,
            )
        end = min(end, start + int(cap.total_seconds()), now)
        return start, end

    def stats(self, req: Request) -> Response:
        if denied := self._check(req):
            return denied
        system = self._system(req)
        if system is None:
            return self.error(404, "System not found")
        window = self._window(req, 300, pd.Timedelta(days=1))
        if isinstance(window, Response):
            return window
        start, end = window
        hourly = hh.hourly(
            "pv",
            pd.Timestamp(start, unit="s", tz="UTC"),
            pd.Timestamp(end, unit="s", tz="UTC") + pd.Timedelta(hours=1),
        )
        intervals = []
        for end_at in range(start + 300, end + 1, 300):
            hour = pd.Timestamp(end_at - 300, unit="s", tz="UTC").floor("h")
            enwh = int(round(float(hourly.get(hour, 0.0)) * 1000 / 12))
            if enwh > 0:  # the document: gaps (e.g. dark hours) are not filled with zeros
                intervals.append({"end_at": end_at, "powr": enwh * 12, "enwh": enwh, "devices_reporting": 12})
        return Response(
            200,
            {
                "system_id": system["system_id"],
                "total_devices": 12,
                "meta": self._meta(),
                "intervals": intervals,
            },
        )

    def consumption_stats(self, req: Request) -> Response:
        if denied := self._check(req):
            return denied
        system = self._system(req)
        if system is None:
            return self.error(404, "System not found")
        if not self.consumption_permission:
            return self._client_error()
        if not self.has_consumption_meter:
            return Response(
                200,
                {"system_id": system["system_id"], "total_devices": 0, "meta": self._meta(), "intervals": []},
            )
        window = self._window(req, 900, pd.Timedelta(days=31))
        if isinstance(window, Response):
            return window
        start, end = window
        hourly = hh.hourly(
            "load",
            pd.Timestamp(start, unit="s", tz="UTC"),
            pd.Timestamp(end, unit="s", tz="UTC") + pd.Timedelta(hours=1),
        )
        intervals = []
        for end_at in range(start + 900, end + 1, 900):
            hour = pd.Timestamp(end_at - 900, unit="s", tz="UTC").floor("h")
            intervals.append(
                {
                    "end_at": end_at,
                    "enwh": int(round(float(hourly.get(hour, 0.0)) * 1000 / 4)),
                    "devices_reporting": 1,
                }
            )
        return Response(
            200,
            {
                "system_id": system["system_id"],
                "total_devices": 1,
                "meta": self._meta(),
                "intervals": intervals,
            },
        )
