"""Fake POD consumption API (bodies per /work/shared/seeds/pod-consumption-api.txt).

- ``POST /auth/token``: client credentials as form fields; ``{"access_token", "expires_in": 36000,
  "token_type": "Bearer"}``.
- ``POST /pods`` (register a POD), ``POST /users/{account}/onboarding``, and under
  ``/users/{account}/consumption``: ``?period=`` (per-appliance power [W]: 1-minute samples for day/
  week periods, 15-minute for month periods), ``/distribution?period=``, ``/performance?period=``,
  ``/habits?period=``, ``/trend``, ``/realtime``, ``/latest`` (six hours, 1-minute, W).
  The paths other than ``/auth/token`` are our assumption (the document does not print them).
- Envelope ``{"status": 200, "data": {...}}``; errors ``{"status": 4xx/5xx, "error": "..."}``.
- ``date_style="documented"`` (default) writes table timestamps as the document's examples do
  (``2025-21-07T00:00:00Z``, year-day-month); ``"iso"`` writes ISO 8601.
- Account ``1234567890`` (company ``ACME``) is registered and onboarded from the start.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

from . import household as hh
from .base import FakeVendorApp, Request, Response

CLIENT_ID = "fake-pod-client"
CLIENT_SECRET = "fake-pod-secret"
DEMO_ACCOUNT = "1234567890"
DEMO_POD = "IT001E12345678901AB"
TZ = "Europe/Rome"
POD_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}[A-Z0-9]{14}$")
PERIODS = ("yesterday", "last-seven-days", "this-week", "last-week", "this-month", "last-month")
APPLIANCES = ("fridge", "washingMachine", "oven", "smallAppliances", "other")


class FakePod(FakeVendorApp):
    vendor = "pod"
    token_paths = ("/auth/token",)

    def __init__(
        self,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        token_ttl: float = 36000,
        date_style: str = "documented",
        now: dt.datetime | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.client_id, self.client_secret, self.token_ttl = client_id, client_secret, token_ttl
        self.date_style = date_style
        self.fixed_now = now
        self.accounts: dict[str, dict[str, Any]] = {
            DEMO_ACCOUNT: {
                "pod": DEMO_POD,
                "company_code": "ACME",
                "onboarding": {
                    "house": {"type": "house", "dimesion": 110, "province": "UT"},
                    "residents": {"adults": 2, "children": 1, "elderlies": 0},
                    "appliances": [{"appliance": "washingMachine", "quantity": 1}],
                },
            },
        }
        self.route("POST", "/auth/token", self.token)
        self.route("POST", "/pods", self.register)
        self.route("POST", "/users/{account}/onboarding", self.onboarding)
        self.route("GET", "/users/{account}/consumption", self.consumption)
        self.route("GET", "/users/{account}/consumption/distribution", self.distribution)
        self.route("GET", "/users/{account}/consumption/performance", self.performance)
        self.route("GET", "/users/{account}/consumption/habits", self.habits)
        self.route("GET", "/users/{account}/consumption/trend", self.trend)
        self.route("GET", "/users/{account}/consumption/realtime", self.realtime)
        self.route("GET", "/users/{account}/consumption/latest", self.latest)

    def now(self) -> pd.Timestamp:
        return pd.Timestamp(self.fixed_now or dt.datetime.fromtimestamp(self.clock(), tz=dt.UTC)).tz_convert(
            "UTC"
        )

    def error(self, status: int, message: str) -> Response:
        return Response(status, {"status": status, "error": message})

    def failure_response(self, status: int, retry_after: float | None) -> Response:
        resp = self.error(
            status,
            {429: "Too many requests", 401: "Unauthorized"}.get(
                status, "Service temporarily unavailable" if status >= 500 else "Injected error"
            ),
        )
        if retry_after is not None:
            resp.headers["Retry-After"] = f"{retry_after:g}"
        return resp

    def _ok(self, data: Any) -> Response:
        return Response(200, {"status": 200, "data": data})

    def _auth(self, req: Request) -> Response | None:
        if not self.tokens.valid(req.bearer()):
            return self.error(401, "Invalid or expired access token")
        return None

    def _account(self, req: Request) -> tuple[str, dict[str, Any]] | Response:
        if denied := self._auth(req):
            return denied
        account = req.params["account"]
        if account not in self.accounts:
            return self.error(404, f"Account {account} not found; register its POD first")
        return account, self.accounts[account]

    def _account_and_period(self, req: Request):
        """((account, record), (period name, start, end)) of a data request, or the error response."""
        found = self._account(req)
        if isinstance(found, Response):
            return found
        period = self._period(req)
        if isinstance(period, Response):
            return period
        return found, period

    def _period(self, req: Request) -> tuple[str, pd.Timestamp, pd.Timestamp] | Response:
        period = req.arg("period")
        if period not in PERIODS:
            return self.error(422, f"period must be one of {', '.join(PERIODS)}")
        now = self.now().tz_convert(TZ)
        today = now.normalize()
        monday = today - pd.Timedelta(days=today.day_of_week)
        first = today.replace(day=1)
        prev_first = (first - pd.Timedelta(days=1)).replace(day=1)
        start, end = {
            "yesterday": (today - pd.Timedelta(days=1), today),
            "last-seven-days": (today - pd.Timedelta(days=7), today),
            "this-week": (monday, now.floor("min")),
            "last-week": (monday - pd.Timedelta(days=7), monday),
            "this-month": (first, now.floor("min")),
            "last-month": (prev_first, first),
        }[period]
        return period, start.tz_convert("UTC"), end.tz_convert("UTC")

    def _stamp(self, ts: pd.Timestamp) -> str:
        ts = ts.tz_convert("UTC")
        if self.date_style == "documented":
            return f"{ts.year:04d}-{ts.day:02d}-{ts.month:02d}T{ts.hour:02d}:{ts.minute:02d}:{ts.second:02d}Z"
        return ts.strftime("%Y-%m-%dT%H:%M:%SZ")

    @staticmethod
    def _split(load: pd.Series) -> pd.DataFrame:
        """Hourly household kWh -> per-appliance kWh (columns APPLIANCES), summing to the load."""
        local = load.index.tz_convert(TZ)
        total = load.to_numpy()
        fridge = np.minimum(0.045, total)
        rest = total - fridge
        hour, dow = local.hour.to_numpy(), local.day_of_week.to_numpy()
        oven = np.where(hour == 18, 0.4 * rest, 0.0)
        washing = np.where(((dow == 2) | (dow == 5)) & (hour == 10), 0.5 * rest, 0.0)
        small = 0.3 * (rest - oven - washing)
        other = total - fridge - oven - washing - small
        return pd.DataFrame(
            {
                "fridge": fridge,
                "washingMachine": washing,
                "oven": oven,
                "smallAppliances": small,
                "other": other,
            },
            index=load.index,
        )

    def _power_table(self, start: pd.Timestamp, end: pd.Timestamp, step: str, columns=None) -> dict[str, Any]:
        load = hh.hourly("load", start, end + pd.Timedelta(hours=1))
        per_appliance = self._split(load)
        if columns == ["active_power_received"]:
            per_appliance = load.to_frame("active_power_received")
        idx = pd.date_range(start, end, freq=step, inclusive="left")
        watts = per_appliance.reindex(idx.floor("h")).to_numpy() * 1000.0  # kWh in an hour = average kW
        return {
            "index": [self._stamp(t) for t in idx],
            "columns": list(per_appliance.columns),
            "data": np.round(watts, 1).tolist(),
        }

    # ------------------------------------------------------------------------------------ routes

    def token(self, req: Request) -> Response:
        form = req.form()
        if form.get("grant_type", "client_credentials") != "client_credentials":
            return self.error(400, "unsupported grant_type")
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return self.error(401, "invalid client credentials")
        return Response(
            200,
            {
                "access_token": self.tokens.issue(self.token_ttl, "pod"),
                "expires_in": int(self.token_ttl),
                "token_type": "Bearer",
            },
        )

    def register(self, req: Request) -> Response:
        if denied := self._auth(req):
            return denied
        body = req.json() or {}
        missing = [k for k in ("pod", "account_number", "company_code") if not body.get(k)]
        if missing:
            return self.error(422, f"missing required fields: {', '.join(missing)}")
        if not POD_RE.fullmatch(str(body["pod"])):
            return self.error(422, "pod does not match ^[A-Z]{2}[0-9A-Z]{3}[A-Z0-9]{14}$")
        account = str(body["account_number"])
        self.accounts.setdefault(account, {})
        self.accounts[account].update(pod=body["pod"], company_code=body["company_code"])
        return self._ok({"pod": body["pod"], "account_number": account, "company_code": body["company_code"]})

    def onboarding(self, req: Request) -> Response:
        found = self._account(req)
        if isinstance(found, Response):
            return found
        account, record = found
        body = req.json() or {}
        house, residents = body.get("house") or {}, body.get("residents") or {}
        if not house.get("type") or not residents:
            return self.error(422, "house.type and residents are required")
        body.setdefault(
            "appliances",
            [{"appliance": "fridge", "quantity": 1}, {"appliance": "washingMachine", "quantity": 1}],
        )
        record["onboarding"] = body
        return self._ok({"account_number": account, "onboarding_data": body})

    def consumption(self, req: Request) -> Response:
        request = self._account_and_period(req)
        if isinstance(request, Response):
            return request
        found, (name, start, end) = request
        step = "1min" if name in ("yesterday", "last-seven-days", "this-week", "last-week") else "15min"
        return self._ok(
            {
                "account_number": found[0],
                "period": name,
                "electricity_data": self._power_table(start, end, step),
            }
        )

    def _energy_by_appliance(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
        return self._split(hh.hourly("load", start, end)).sum() * 1000.0  # Wh

    def distribution(self, req: Request) -> Response:
        request = self._account_and_period(req)
        if isinstance(request, Response):
            return request
        found, (name, start, end) = request
        wh = self._energy_by_appliance(start, end)
        previous = self._energy_by_appliance(start - (end - start), start)
        return self._ok(
            {
                "account_number": found[0],
                "period": name,
                "total_consumption": {
                    "selected_period": round(float(wh.sum())),
                    "previous_period": round(float(previous.sum())),
                },
                "electricity_data": {
                    "index": [0],
                    "columns": list(wh.index),
                    "data": [[round(float(v)) for v in wh.to_numpy()]],
                },
            }
        )

    def performance(self, req: Request) -> Response:
        request = self._account_and_period(req)
        if isinstance(request, Response):
            return request
        found, (name, start, end) = request
        user = float(hh.hourly("load", start, end).sum()) * 1000.0
        return self._ok(
            {
                "account_number": found[0],
                "period": name,
                "performance": {
                    "min_consumption": round(user * 0.55),
                    "max_consumption": round(user * 1.6),
                    "user_consumption": round(user, 2),
                },
            }
        )

    def habits(self, req: Request) -> Response:
        request = self._account_and_period(req)
        if isinstance(request, Response):
            return request
        found, (name, start, end) = request
        load = hh.hourly("load", start, end)
        local = load.index.tz_convert(TZ)
        table = (load * 1000.0).groupby([local.day_of_week, local.hour]).mean()
        return self._ok(
            {
                "account_number": found[0],
                "period": name,
                "electricity_data": {
                    "index": [[int(d), int(h)] for d, h in table.index],
                    "columns": ["consumption"],
                    "data": [[round(float(v))] for v in table.to_numpy()],
                },
            }
        )

    def trend(self, req: Request) -> Response:
        found = self._account(req)
        if isinstance(found, Response):
            return found
        first = self.now().tz_convert(TZ).normalize().replace(day=1)
        start = first - pd.DateOffset(months=12)
        load = hh.hourly("load", start.tz_convert("UTC"), first.tz_convert("UTC"))
        local = load.index.tz_convert(TZ)
        h, dow = local.hour, local.day_of_week
        f1 = (dow < 5) & (h >= 8) & (h < 19)
        f2 = ((dow < 5) & ((h == 7) | ((h >= 19) & (h < 23)))) | ((dow == 5) & (h >= 7) & (h < 23))
        band = np.where(f1, "f1", np.where(f2, "f2", "f3"))
        table = (load * 1000.0).groupby([local.month, band]).sum().unstack(fill_value=0.0)
        order = [((start.month - 1 + i) % 12) + 1 for i in range(12)]
        table = table.reindex(order)
        return self._ok(
            {
                "account_number": found[0],
                "electricity_data": {
                    "index": [int(m) for m in table.index],
                    "columns": ["f1", "f2", "f3"],
                    "data": [[round(float(v)) for v in row] for row in table[["f1", "f2", "f3"]].to_numpy()],
                },
            }
        )

    def realtime(self, req: Request) -> Response:
        found = self._account(req)
        if isinstance(found, Response):
            return found
        now = self.now().floor("h")
        kwh = float(hh.hourly("load", now, now + pd.Timedelta(hours=1)).iloc[0])
        return self._ok({"account_number": found[0], "realtime_consumption": round(kwh * 1000)})

    def latest(self, req: Request) -> Response:
        found = self._account(req)
        if isinstance(found, Response):
            return found
        end = self.now().floor("min")
        table = self._power_table(end - pd.Timedelta(hours=6), end, "1min", columns=["active_power_received"])
        return self._ok({"account_number": found[0], "electricity_data": table})
