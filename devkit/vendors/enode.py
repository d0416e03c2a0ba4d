"""Fake Enode API (shapes per /work/shared/seeds/enode-api.txt).

- ``POST /oauth2/token`` client credentials (HTTP Basic ``client_id:client_secret``), 1 h tokens.
- ``POST /users/{userId}/link`` -> ``{"linkUrl", "linkToken"}``; opening ``linkUrl`` completes the
  link (the household's assets appear) and redirects to ``redirectUri``.
- ``GET /{collection}`` and ``GET /users/{userId}/{collection}`` for inverters, meters, batteries,
  vehicles, chargers, hvacs, hem-systems: ``{"data": [...], "pagination": {"before", "after"}}``,
  newest first, ``pageSize`` (default 50, max 100), ``after``/``before`` cursors (not both).
- ``GET /inverters/{id}/statistics?year&month[&day]``: QUARTER_HOUR (day) or DAY (month), kWh.
- ``GET /hem-systems/{id}/statistics?interval=DAY|MONTH&date=``: PT15M average kW, or P1D kWh.
- ``DELETE /users/{userId}``, ``DELETE /users/{userId}/vendors/{vendor}``.
- Errors are ``application/problem+json``; 429 carries ``Retry-After``.
- ``webhook_delivery(secret, events)`` builds a signed delivery (``X-Enode-Signature: sha1=...``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from apps.devices.clients.enode.webhooks import SIGNATURE_HEADER, sign_webhook_body

from . import household as hh
from .base import FakeVendorApp, Request, Response, redirect

CLIENT_ID = "fake-enode-client"
CLIENT_SECRET = "fake-enode-secret"
DEMO_USER = "demo-user"
TZ = "Europe/Amsterdam"
_NS = uuid.UUID("6f1b9a52-6a4c-4d53-9a37-5a1b6b0c2e11")
_COLLECTIONS = {
    "inverters": "inverter",
    "meters": "meter",
    "batteries": "battery",
    "vehicles": "vehicle",
    "chargers": "charger",
    "hvacs": "hvac",
    "hem-systems": "hem-system",
}


def _problem(status: int, title: str, detail: str, slug: str) -> Response:
    return Response(
        status,
        {"type": f"https://developers.enode.com/problems/{slug}", "title": title, "detail": detail},
        content_type="application/problem+json",
    )


class FakeEnode(FakeVendorApp):
    vendor = "enode"
    token_paths = ("/oauth2/token",)

    def __init__(
        self,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        token_ttl: float = 3600,
        seed_users: tuple[str, ...] = (DEMO_USER,),
        inverters_per_user: int = 1,
        now: dt.datetime | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.client_id, self.client_secret, self.token_ttl = client_id, client_secret, token_ttl
        self.inverters_per_user = inverters_per_user
        self.fixed_now = now
        self.public_base_url = "http://127.0.0.1"
        self.assets: dict[str, dict[str, Any]] = {}  # id -> asset (insertion order = creation order)
        self.link_sessions: dict[str, dict[str, Any]] = {}
        self._seq = 0
        for user in seed_users:
            self.link_user(user)
        self.route("POST", "/oauth2/token", self.token)
        self.route("POST", "/users/{user_id}/link", self.create_link)
        self.route("GET", "/link/{token}", self.open_link)
        self.route("DELETE", "/users/{user_id}", self.delete_user)
        self.route("DELETE", "/users/{user_id}/vendors/{vendor}", self.delete_vendor)
        self.route("GET", "/inverters/{asset_id}/statistics", self.inverter_statistics)
        self.route("GET", "/hem-systems/{asset_id}/statistics", self.hem_statistics)
        self.route("GET", "/users/{user_id}/{collection}", self.list_user_collection)
        self.route("GET", "/{collection}", self.list_collection)

    # --------------------------------------------------------------------------------- data seed

    def now(self) -> dt.datetime:
        return self.fixed_now or dt.datetime.fromtimestamp(self.clock(), tz=dt.UTC)

    def _id(self, *parts: str) -> str:
        return str(uuid.uuid5(_NS, "/".join(parts)))

    def link_user(self, user_id: str) -> list[dict[str, Any]]:
        """Give ``user_id`` the household's assets (idempotent)."""
        if any(a["userId"] == user_id for a in self.assets.values()):
            return [a for a in self.assets.values() if a["userId"] == user_id]
        now = self.now().isoformat().replace("+00:00", "Z")
        hem_id = self._id(user_id, "hem")
        loc = {
            "id": self._id(user_id, "location"),
            "latitude": hh.LATITUDE,
            "longitude": hh.LONGITUDE,
            "lastUpdated": now,
        }
        created = []

        def add(kind: str, key: str, body: dict[str, Any]) -> None:
            self._seq += 1
            asset = {
                "id": self._id(user_id, key),
                "userId": user_id,
                "lastSeen": now,
                "isReachable": True,
                "_kind": kind,
                "_seq": self._seq,
                **body,
            }
            self.assets[asset["id"]] = asset
            created.append(asset)

        for n in range(self.inverters_per_user):
            add(
                "inverter",
                f"inverter-{n}",
                {
                    "vendor": "SOLAREDGE",
                    "scopes": ["inverter:read:data", "inverter:read:location"],
                    "productionState": {
                        "productionRate": 1.2,
                        "isProducing": True,
                        "totalLifetimeProduction": 10211.4,
                        "lastUpdated": now,
                    },
                    "information": {
                        "id": f"7E1{n:05d}",
                        "brand": "SolarEdge",
                        "model": "SE3680H",
                        "siteName": "Zonnepanelen Utrecht" if n == 0 else f"Omvormer {n + 1}",
                        "installationDate": "2022-04-12T00:00:00Z",
                    },
                    "location": loc,
                    "hemSystemId": hem_id,
                    "timezone": TZ,
                },
            )
        add(
            "meter",
            "meter",
            {
                "vendor": "HOMEWIZARD",
                "scopes": ["meter:read:data", "meter:read:location"],
                "information": {
                    "id": "HWE-P1-0042",
                    "brand": "HomeWizard",
                    "model": "P1 Meter",
                    "siteName": "Slimme meter",
                    "installationDate": "2021-11-02T00:00:00Z",
                },
                "energyState": {"power": 0.42, "lastUpdated": now},
                "location": loc,
                "hemSystemId": hem_id,
            },
        )
        add(
            "battery",
            "battery",
            {
                "vendor": "HUAWEI",
                "scopes": ["battery:read:data", "battery:read:location"],
                "chargeState": {
                    "status": "IDLE",
                    "batteryCapacity": hh.BATTERY_KWH,
                    "batteryLevel": 54,
                    "chargeRate": 0.0,
                    "dischargeLimit": 10,
                    "lastUpdated": now,
                },
                "config": {"operationMode": "SELF_RELIANCE"},
                "information": {
                    "id": "LUNA2000-5",
                    "brand": "Huawei",
                    "model": "LUNA2000-5-S0",
                    "siteName": "Thuisbatterij",
                    "installationDate": "2024-03-18T00:00:00Z",
                },
                "location": loc,
                "hemSystemId": hem_id,
            },
        )
        add(
            "vehicle",
            "vehicle",
            {
                "vendor": "VOLKSWAGEN",
                "scopes": ["vehicle:read:data"],
                "information": {
                    "vin": "WVWZZZE1ZMP000042",
                    "brand": "Volkswagen",
                    "model": "ID.3",
                    "year": 2022,
                    "displayName": "ID.3 Pro",
                },
                "chargeState": {
                    "batteryLevel": 64,
                    "range": 241,
                    "isPluggedIn": True,
                    "isCharging": False,
                    "isFullyCharged": False,
                    "batteryCapacity": 58.0,
                    "chargeLimit": 80,
                    "chargeRate": None,
                    "chargeTimeRemaining": None,
                    "maxCurrent": 16,
                    "powerDeliveryState": "PLUGGED_IN:STOPPED",
                    "lastUpdated": now,
                },
                "location": {"latitude": hh.LATITUDE, "longitude": hh.LONGITUDE, "lastUpdated": now},
            },
        )
        add(
            "charger",
            "charger",
            {
                "vendor": "ZAPTEC",
                "scopes": ["charger:read:data"],
                "information": {"brand": "Zaptec", "model": "Go", "year": 2023, "siteName": "Laadpaal oprit"},
                "chargeState": {
                    "isPluggedIn": True,
                    "isCharging": False,
                    "chargeRate": None,
                    "maxCurrent": 16,
                    "powerDeliveryState": "PLUGGED_IN:STOPPED",
                    "lastUpdated": now,
                },
                "locationId": loc["id"],
            },
        )
        add(
            "hvac",
            "hvac",
            {
                "vendor": "DAIKIN",
                "scopes": ["hvac:read:data"],
                "information": {
                    "brand": "Daikin",
                    "model": "Altherma 3 H",
                    "displayName": "Warmtepomp",
                    "groupName": "Woonkamer",
                    "category": "HEATING",
                },
                "temperatureState": {"currentTemperature": 20.5, "isActive": True, "lastUpdated": now},
                "consumptionRate": 0.9,
            },
        )
        self._seq += 1
        hem = {
            "id": hem_id,
            "userId": user_id,
            "_kind": "hem-system",
            "_seq": self._seq,
            "name": "Thuis",
            "timezone": TZ,
            "location": loc,
            "lastSeen": now,
        }
        self.assets[hem_id] = hem
        created.append(hem)
        return created

    # --------------------------------------------------------------------------------- plumbing

    def failure_response(self, status: int, retry_after: float | None) -> Response:
        titles = {
            429: ("Too Many Requests", "too-many-requests"),
            500: ("Server Error", "server-error"),
            502: ("Bad Gateway", "bad-gateway"),
            503: ("Service Unavailable", "service-unavailable"),
            504: ("Timeout", "timeout"),
            401: ("Unauthorized", "unauthorized"),
        }
        title, slug = titles.get(status, ("Error", "error"))
        resp = _problem(status, title, "Injected by the fake server.", slug)
        if retry_after is not None:
            resp.headers["Retry-After"] = f"{retry_after:g}"
        return resp

    def error(self, status: int, message: str) -> Response:
        slug = {404: "not-found", 405: "method-not-allowed", 400: "bad-request"}.get(status, "error")
        return _problem(status, {404: "Not Found"}.get(status, "Error"), message, slug)

    def _authorized(self, req: Request) -> Response | None:
        if not self.tokens.valid(req.bearer()):
            return _problem(
                401, "Unauthorized", "The request contained an invalid or expired token.", "unauthorized"
            )
        return None

    @staticmethod
    def _public(asset: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in asset.items() if not k.startswith("_")}

    # ----------------------------------------------------------------------------------- routes

    def token(self, req: Request) -> Response:
        creds = req.basic()
        form = req.form()
        if creds is None and "client_id" in form:
            creds = (form.get("client_id", ""), form.get("client_secret", ""))
        if creds != (self.client_id, self.client_secret):
            return Response(
                401, {"error": "invalid_client", "error_description": "Client authentication failed"}
            )
        if form.get("grant_type") != "client_credentials":
            return Response(400, {"error": "unsupported_grant_type"})
        token = self.tokens.issue(self.token_ttl, "enode")
        return Response(
            200,
            {"access_token": token, "expires_in": int(self.token_ttl), "token_type": "bearer", "scope": ""},
        )

    def create_link(self, req: Request) -> Response:
        if denied := self._authorized(req):
            return denied
        body = req.json() or {}
        scopes = body.get("scopes")
        if not isinstance(scopes, list) or not scopes:
            return _problem(400, "Payload validation failed", '"scopes" is required', "bad-request")
        types = {str(s).split(":", 1)[0] for s in scopes}
        for t in types:
            if f"{t}:read:data" not in scopes:
                return _problem(
                    400, "Payload validation failed", f'"{t}:read:data" scope is required', "bad-request"
                )
        token = secrets.token_urlsafe(16)
        self.link_sessions[token] = {
            "userId": req.params["user_id"],
            "redirectUri": body.get("redirectUri"),
            "scopes": scopes,
            "used": False,
        }
        return Response(200, {"linkUrl": f"{req.base_url}/link/{token}", "linkToken": token})

    def open_link(self, req: Request) -> Response:
        session = self.link_sessions.get(req.params["token"])
        if session is None or session["used"]:
            return Response(
                410, "This link session has expired or was already used.", content_type="text/plain"
            )
        session["used"] = True
        self.link_user(session["userId"])
        target = session.get("redirectUri")
        if target:
            sep = "&" if "?" in target else "?"
            return redirect(f"{target}{sep}{urlencode({'userId': session['userId']})}")
        return Response(200, "Linked. You can close this window.", content_type="text/plain")

    def delete_user(self, req: Request) -> Response:
        if denied := self._authorized(req):
            return denied
        uid = req.params["user_id"]
        ids = [k for k, a in self.assets.items() if a["userId"] == uid]
        if not ids:
            return self.error(404, "The requested entity was not found on the user's account.")
        for k in ids:
            del self.assets[k]
        return Response(204)

    def delete_vendor(self, req: Request) -> Response:
        if denied := self._authorized(req):
            return denied
        uid, vendor = req.params["user_id"], req.params["vendor"].upper()
        for k in [k for k, a in self.assets.items() if a["userId"] == uid and a.get("vendor") == vendor]:
            del self.assets[k]
        return Response(204)

    def _list(self, req: Request, kind: str, user_id: str | None) -> Response:
        if denied := self._authorized(req):
            return denied
        after, before = req.arg("after"), req.arg("before")
        if after and before:
            return _problem(400, "Bad Request", "before and after are mutually exclusive", "bad-request")
        try:
            size = int(req.arg("pageSize", "50"))
        except ValueError:
            return _problem(400, "Bad Request", "pageSize must be an integer", "bad-request")
        if not 1 <= size <= 100:
            return _problem(400, "Bad Request", "pageSize must be between 1 and 100", "bad-request")
        items = [
            a
            for a in self.assets.values()
            if a["_kind"] == kind and (user_id is None or a["userId"] == user_id)
        ]
        items.sort(key=lambda a: a["_seq"], reverse=True)  # newest first
        ids = [a["id"] for a in items]
        if after:
            if after not in ids:
                return _problem(400, "Bad Request", "unknown cursor", "bad-request")
            start = ids.index(after) + 1
            page = items[start : start + size]
        elif before:
            if before not in ids:
                return _problem(400, "Bad Request", "unknown cursor", "bad-request")
            end = ids.index(before)
            page = items[max(0, end - size) : end]
        else:
            page = items[:size]
        first = items.index(page[0]) if page else 0
        last = items.index(page[-1]) if page else -1
        pagination = {
            "before": page[0]["id"] if page and first > 0 else None,
            "after": page[-1]["id"] if page and last < len(items) - 1 else None,
        }
        return Response(200, {"data": [self._public(a) for a in page], "pagination": pagination})

    def list_collection(self, req: Request) -> Response:
        kind = _COLLECTIONS.get(req.params["collection"])
        if kind is None:
            return self.error(404, f"No route for GET {req.path}")
        return self._list(req, kind, None)

    def list_user_collection(self, req: Request) -> Response:
        kind = _COLLECTIONS.get(req.params["collection"])
        if kind is None:
            return self.error(404, f"No route for GET {req.path}")
        return self._list(req, kind, req.params["user_id"])

    def _asset(self, req: Request, kind: str) -> dict[str, Any] | None:
        asset = self.assets.get(req.params["asset_id"])
        return asset if asset and asset["_kind"] == kind else None

    def inverter_statistics(self, req: Request) -> Response:
        if denied := self._authorized(req):
            return denied
        if self._asset(req, "inverter") is None:
            return self.error(404, "The requested entity was not found on the user's account.")
        try:
            year, month = int(req.arg("year", "")), int(req.arg("month", ""))
            day = int(req.arg("day")) if req.arg("day") else None
            first = dt.date(year, month, day or 1)
        except (TypeError, ValueError):
            return _problem(
                400, "Bad Request", "year and month (and optionally day) are required", "bad-request"
            )
        if day is not None:
            return Response(200, {"resolutions": {"QUARTER_HOUR": {"data": self._quarters(first, "pv")}}})
        return Response(200, {"resolutions": {"DAY": {"data": self._days(first, "pv")}}})

    def _local_day(self, day: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
        start = pd.Timestamp(day).tz_localize(TZ)
        return start, (pd.Timestamp(day) + pd.Timedelta(days=1)).tz_localize(TZ)

    def _quarters(self, day: dt.date, quantity: str, *, as_power: bool = False) -> list[dict[str, Any]]:
        start, end = self._local_day(day)
        idx = pd.date_range(start, end, freq="15min", inclusive="left")
        hourly = hh.hourly(quantity, start, end + pd.Timedelta(hours=1))
        now = pd.Timestamp(self.now())
        out = []
        for ts in idx:
            kwh = float(hourly.get(ts.tz_convert("UTC").floor("h"), 0.0))
            value = (
                None
                if ts >= now
                else round(kwh if as_power or quantity == "battery_level_pct" else kwh / 4, 4)
            )
            out.append({"date": ts.isoformat(), "value": value})
        return out

    def _days(self, first: dt.date, quantity: str) -> list[dict[str, Any]]:
        out = []
        day = first.replace(day=1)
        now = pd.Timestamp(self.now())
        while day.month == first.month:
            start, end = self._local_day(day)
            value = None if start >= now else round(float(hh.hourly(quantity, start, end).sum()), 3)
            out.append({"date": start.isoformat(), "value": value})
            day += dt.timedelta(days=1)
        return out

    def hem_statistics(self, req: Request) -> Response:
        if denied := self._authorized(req):
            return denied
        if self._asset(req, "hem-system") is None:
            return self.error(404, "The requested entity was not found on the user's account.")
        interval, date = (req.arg("interval") or "DAY").upper(), req.arg("date") or ""
        quantities = {
            "generation": "pv",
            "consumption": "load",
            "gridImport": "grid_import",
            "gridExport": "grid_export",
            "batteryCharge": "battery_charge",
            "batteryDischarge": "battery_discharge",
        }
        try:
            if interval == "DAY":
                day = dt.date.fromisoformat(date)
            elif interval == "MONTH":
                day = dt.date.fromisoformat(f"{date}-01")
            else:
                raise ValueError
        except ValueError:
            return _problem(
                400,
                "Bad Request",
                "interval must be DAY (date=YYYY-MM-DD) or MONTH (date=YYYY-MM)",
                "bad-request",
            )
        series: dict[str, Any] = {}
        for name, quantity in quantities.items():
            if interval == "DAY":
                data = self._quarters(day, quantity, as_power=True)
                series[name] = {"isAvailable": True, "resolution": "PT15M", "unit": "kW", "data": data}
            else:
                series[name] = {
                    "isAvailable": True,
                    "resolution": "P1D",
                    "unit": "kWh",
                    "data": self._days(day, quantity),
                }
        if interval == "DAY":
            series["batteryLevel"] = {
                "isAvailable": True,
                "resolution": "PT15M",
                "unit": "%",
                "data": self._quarters(day, "battery_level_pct"),
            }
        else:
            series["batteryLevel"] = {
                "isAvailable": False,
                "reason": "Only available for DAY intervals",
                "data": [],
            }
        return Response(200, {"hemSystemId": req.params["asset_id"], "timezone": TZ, "timeseries": series})

    # --------------------------------------------------------------------------------- webhooks

    def event(self, user_id: str, name: str, *, day: dt.date | None = None) -> dict[str, Any]:
        """One webhook event for ``user_id``'s asset, e.g. ``user:inverter:statistics-updated``."""
        _, kind, action = name.split(":")
        asset = next(a for a in self.assets.values() if a["userId"] == user_id and a["_kind"] == kind)
        key = "hemSystem" if kind == "hem-system" else kind
        event: dict[str, Any] = {
            "event": name,
            "createdAt": self.now().isoformat().replace("+00:00", "Z"),
            "version": "2024-10-01",
            "user": {"id": user_id},
            key: self._public(asset),
        }
        if action == "statistics-updated":
            event["statistics"] = {
                "resolutions": {"QUARTER_HOUR": {"data": self._quarters(day or self.now().date(), "pv")}}
            }
        return event

    @staticmethod
    def webhook_delivery(secret: str, events: list[dict[str, Any]]) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(events).encode()
        return body, {SIGNATURE_HEADER: sign_webhook_body(secret, body), "Content-Type": "application/json"}
