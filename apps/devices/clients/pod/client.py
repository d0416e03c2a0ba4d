"""POD consumption API client (network side). Reference: /work/shared/seeds/pod-consumption-api.txt.

The reference names the token endpoint (``/auth/token``, client-credentials grant with
``client_id``/``client_secret``/``grant_type`` form fields, ``Authorization: <token_type> <token>``)
and every request/response body, but not the other paths; ours are in ``PATHS`` (assumed, one place
to correct them).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx
import pandas as pd

from ..errors import VendorInputError
from ..http import ClientCredentialsAuth, RetryPolicy, TokenStore, VendorHttp
from .parsers import (
    VENDOR,
    _parse_consumption,
    _parse_distribution,
    _parse_habits,
    _parse_latest,
    _parse_onboarding,
    _parse_performance,
    _parse_realtime,
    _parse_register,
    _parse_trend,
    validate_period,
    validate_pod,
)

TOKEN_PATH = "/auth/token"
PATHS = {  # all assumed except TOKEN_PATH
    "register": "/pods",
    "onboarding": "/users/{account}/onboarding",
    "consumption": "/users/{account}/consumption",
    "distribution": "/users/{account}/consumption/distribution",
    "performance": "/users/{account}/consumption/performance",
    "habits": "/users/{account}/consumption/habits",
    "trend": "/users/{account}/consumption/trend",
    "realtime": "/users/{account}/consumption/realtime",
    "latest": "/users/{account}/consumption/latest",
}

HOUSE_TYPES = ("apartment", "house", "detached", "semi-detached", "terraced")


def _account(account_number: str) -> str:
    if not isinstance(account_number, str) or not account_number.strip():
        raise VendorInputError("an account number is required", vendor=VENDOR)
    return quote(account_number.strip(), safe="")


def build_onboarding(
    *,
    house_type: str,
    dimension_m2: float,
    province: str,
    adults: int,
    children: int = 0,
    elderlies: int = 0,
    appliances: Mapping[str, int] | Sequence[tuple[str, int]] | None = None,
) -> dict[str, Any]:
    """The onboarding body, checked. (``dimesion`` is the vendor's own spelling of the field.)"""
    if dimension_m2 is None or float(dimension_m2) <= 0:
        raise VendorInputError("house dimension must be a positive floor area in m²", vendor=VENDOR)
    counts = {"adults": adults, "children": children, "elderlies": elderlies}
    for key, value in counts.items():
        if not isinstance(value, int) or value < 0:
            raise VendorInputError(f"{key} must be a whole number >= 0", vendor=VENDOR)
    if adults + children + elderlies == 0:
        raise VendorInputError("at least one resident is required", vendor=VENDOR)
    if not house_type:
        raise VendorInputError("house type is required (e.g. 'apartment')", vendor=VENDOR)
    body: dict[str, Any] = {
        "house": {"type": house_type, "dimesion": dimension_m2, "province": province},
        "residents": counts,
    }
    if appliances:
        items = appliances.items() if isinstance(appliances, Mapping) else appliances
        body["appliances"] = []
        for name, qty in items:
            if not name or not isinstance(qty, int) or qty < 1:
                raise VendorInputError(f"appliance {name!r} needs a quantity >= 1", vendor=VENDOR)
            body["appliances"].append({"appliance": name, "quantity": qty})
    return body


class PodClient:
    def __init__(
        self,
        *,
        api_url: str,
        client_id: str,
        client_secret: str,
        token_url: str | None = None,
        token_store: TokenStore | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        clock=time.time,
    ):
        self.http = VendorHttp(
            VENDOR,
            api_url,
            client=http_client,
            transport=transport,
            retry=retry,
            clock=clock,
            default_headers={"Accept": "application/json"},
            secrets=[client_secret],
        )
        self.auth = ClientCredentialsAuth(
            http=self.http,
            token_url=token_url or TOKEN_PATH,
            client_id=client_id,
            client_secret=client_secret,
            style="body",
            store=token_store,
        )
        self.http.auth = self.auth

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.http.clock(), tz=dt.UTC)

    # -------------------------------------------------------------------------------- raw (get_*)

    def register_pod(self, pod: str, *, account_number: str, company_code: str) -> dict[str, str]:
        """Register a supply point; the POD is validated (and normalised) before anything is sent."""
        canon = validate_pod(pod)
        _account(account_number)
        if not company_code:
            raise VendorInputError("a company code is required", vendor=VENDOR)
        body = {"pod": canon, "account_number": account_number.strip(), "company_code": company_code}
        return _parse_register(
            self.http.json("POST", PATHS["register"], json=body, idempotent=True, what="register POD")
        )

    def onboard(self, account_number: str, onboarding: Mapping[str, Any]) -> Mapping[str, Any]:
        """Send house, residents and appliances (build the body with ``build_onboarding``)."""
        path = PATHS["onboarding"].format(account=_account(account_number))
        return _parse_onboarding(
            self.http.json("POST", path, json=dict(onboarding), idempotent=True, what="send onboarding")
        )

    def _get(self, key: str, account_number: str, period: str | None = None) -> Any:
        params = {"period": validate_period(period)} if period is not None else None
        path = PATHS[key].format(account=_account(account_number))
        return self.http.json("GET", path, params=params, what=f"get {key.replace('_', ' ')}")

    def get_consumption(self, account_number: str, period: str) -> Any:
        return self._get("consumption", account_number, period)

    def get_distribution(self, account_number: str, period: str) -> Any:
        return self._get("distribution", account_number, period)

    def get_performance(self, account_number: str, period: str) -> Any:
        return self._get("performance", account_number, period)

    def get_habits(self, account_number: str, period: str) -> Any:
        return self._get("habits", account_number, period)

    def get_trend(self, account_number: str) -> Any:
        return self._get("trend", account_number)

    def get_realtime(self, account_number: str) -> Any:
        return self._get("realtime", account_number)

    def get_latest(self, account_number: str) -> Any:
        return self._get("latest", account_number)

    # ----------------------------------------------------------------------------- parsed helpers

    def consumption_hourly(self, account_number: str, period: str) -> pd.DataFrame:
        """kWh per UTC hour per appliance (columns), plus a ``total`` column."""
        frame = _parse_consumption(self.get_consumption(account_number, period), now=self._now())
        frame["total"] = frame.sum(axis=1, min_count=1)
        return frame

    def distribution(self, account_number: str, period: str) -> dict[str, Any]:
        return _parse_distribution(self.get_distribution(account_number, period))

    def performance(self, account_number: str, period: str) -> dict[str, float]:
        return _parse_performance(self.get_performance(account_number, period))

    def habits(self, account_number: str, period: str):
        return _parse_habits(self.get_habits(account_number, period))

    def trend(self, account_number: str) -> pd.DataFrame:
        return _parse_trend(self.get_trend(account_number))

    def realtime_kw(self, account_number: str) -> float:
        return _parse_realtime(self.get_realtime(account_number))

    def latest_hourly(self, account_number: str) -> pd.Series:
        return _parse_latest(self.get_latest(account_number), now=self._now())
