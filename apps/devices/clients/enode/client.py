"""Enode API client (network side). Endpoints and shapes: /work/shared/seeds/enode-api.txt.

Construct it from settings::

    client = EnodeClient(api_url=..., token_url=..., client_id=..., client_secret=...,
                         token_store=..., http_client=httpx.Client(...))

Paths the reference names: ``GET /hem-systems/{id}/statistics``, ``DELETE /users/{userId}``,
``GET /vehicles`` (and siblings), the link-user session (``linkUrl``/``linkToken``). Paths the
reference describes without spelling out are marked ``# assumed`` below and kept in ``PATHS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx
import pandas as pd

from ..errors import VendorInputError
from ..http import ClientCredentialsAuth, RetryPolicy, TokenStore, VendorHttp, iter_pages
from ..series import AssetFact
from .parsers import (
    VENDOR,
    LinkSession,
    _parse_asset,
    _parse_hem_statistics,
    _parse_inverter_daily,
    _parse_inverter_statistics,
    _parse_link_session,
    _parse_page,
)

# asset kind -> collection path segment
COLLECTIONS = {
    "inverter": "inverters",
    "meter": "meters",
    "battery": "batteries",
    "vehicle": "vehicles",
    "charger": "chargers",
    "hvac": "hvacs",
    "hem-system": "hem-systems",
}

PATHS = {
    "link": "/users/{user_id}/link",  # assumed (reference: "Link user" creates linkUrl/linkToken)
    "user_collection": "/users/{user_id}/{collection}",  # assumed (user-scoped lists)
    "collection": "/{collection}",  # GET /vehicles in the reference; same shape for the others
    "inverter_statistics": "/inverters/{inverter_id}/statistics",  # assumed; year/month/day query
    "hem_statistics": "/hem-systems/{hem_system_id}/statistics",
    "user": "/users/{user_id}",
    "vendor": "/users/{user_id}/vendors/{vendor}",  # assumed ("disconnect a vendor")
}

DEFAULT_PAGE_SIZE = 50  # the reference's default; it is also what we ask for


class EnodeClient:
    def __init__(
        self,
        *,
        api_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        token_store: TokenStore | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        api_version: str | None = None,
        clock=None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ):
        headers = {"Accept": "application/json"}
        if api_version:
            headers["Enode-Version"] = api_version
        kwargs = {"clock": clock} if clock else {}
        self.http = VendorHttp(
            VENDOR,
            api_url,
            client=http_client,
            transport=transport,
            retry=retry,
            default_headers=headers,
            secrets=[client_secret],
            **kwargs,
        )
        self.auth = ClientCredentialsAuth(
            http=self.http,
            token_url=token_url,
            client_id=client_id,
            client_secret=client_secret,
            style="basic",
            store=token_store,
        )
        self.http.auth = self.auth
        self.page_size = page_size

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------------------ link / unlink

    def create_link_session(
        self,
        user_id: str,
        *,
        scopes: Sequence[str],
        redirect_uri: str,
        vendor_type: str | None = None,
        language: str = "nl-NL",
        color_scheme: str | None = None,
    ) -> LinkSession:
        """Create a 24 h single-use Link UI session; send the household to ``.link_url``.

        ``scopes`` e.g. ``["inverter:read:data", "inverter:read:location", "meter:read:data"]``;
        every asset type needs its ``<type>:read:data`` scope (checked here before sending).
        """
        if not user_id:
            raise VendorInputError("a user id is required to create a link session", vendor=VENDOR)
        if not scopes:
            raise VendorInputError(
                "at least one scope is required (e.g. 'inverter:read:data')", vendor=VENDOR
            )
        types = {s.split(":", 1)[0] for s in scopes}
        missing = sorted(t for t in types if f"{t}:read:data" not in scopes)
        if missing:
            raise VendorInputError(
                "each asset type needs its read:data scope; add "
                + ", ".join(f"'{t}:read:data'" for t in missing),
                vendor=VENDOR,
            )
        body: dict[str, Any] = {"scopes": list(scopes), "language": language, "redirectUri": redirect_uri}
        if vendor_type:
            body["vendorType"] = vendor_type
        if color_scheme:
            body["colorScheme"] = color_scheme
        answer = self.http.json(
            "POST",
            PATHS["link"].format(user_id=user_id),
            json=body,
            idempotent=True,  # a duplicate session is harmless: single-use, expires in 24 h
            what="create a link session",
        )
        return _parse_link_session(answer)

    def delete_user(self, user_id: str) -> None:
        """Unlink everything: deletes the Enode user, its data and its tokens (irreversible)."""
        self.http.request("DELETE", PATHS["user"].format(user_id=user_id), what="unlink user")

    def disconnect_vendor(self, user_id: str, vendor: str) -> None:
        """Remove one vendor's assets from a user (e.g. after the household replaced an inverter)."""
        self.http.request(
            "DELETE", PATHS["vendor"].format(user_id=user_id, vendor=vendor), what="disconnect vendor"
        )

    # ------------------------------------------------------------------------------------- assets

    def iter_raw(self, kind: str, *, user_id: str | None = None) -> Iterator[Mapping[str, Any]]:
        """Every raw asset object of ``kind`` (follows ``pagination.after`` cursors)."""
        if kind not in COLLECTIONS:
            raise VendorInputError(f"unknown asset kind {kind!r}; expected one of {sorted(COLLECTIONS)}")
        collection = COLLECTIONS[kind]
        path = (
            PATHS["user_collection"].format(user_id=user_id, collection=collection)
            if user_id
            else PATHS["collection"].format(collection=collection)
        )

        def fetch(cursor: str | None):
            params: dict[str, Any] = {"pageSize": self.page_size}
            if cursor:
                params["after"] = cursor
            return _parse_page(self.http.json("GET", path, params=params, what=f"list {collection}"))

        return iter_pages(fetch)

    def list_assets(self, kind: str, *, user_id: str | None = None) -> list[AssetFact]:
        return [_parse_asset(kind, obj) for obj in self.iter_raw(kind, user_id=user_id)]

    def list_inverters(self, *, user_id: str | None = None) -> list[AssetFact]:
        return self.list_assets("inverter", user_id=user_id)

    def list_meters(self, *, user_id: str | None = None) -> list[AssetFact]:
        return self.list_assets("meter", user_id=user_id)

    def list_batteries(self, *, user_id: str | None = None) -> list[AssetFact]:
        return self.list_assets("battery", user_id=user_id)

    def list_vehicles(self, *, user_id: str | None = None) -> list[AssetFact]:
        return self.list_assets("vehicle", user_id=user_id)

    def list_chargers(self, *, user_id: str | None = None) -> list[AssetFact]:
        return self.list_assets("charger", user_id=user_id)

    def list_hvacs(self, *, user_id: str | None = None) -> list[AssetFact]:
        return self.list_assets("hvac", user_id=user_id)

    def list_hem_systems(self, *, user_id: str | None = None) -> list[AssetFact]:
        return self.list_assets("hem-system", user_id=user_id)

    def list_all_assets(self, *, user_id: str) -> list[AssetFact]:
        """Every linked asset of a user, all kinds."""
        return [fact for kind in COLLECTIONS for fact in self.list_assets(kind, user_id=user_id)]

    # --------------------------------------------------------------------------------- statistics

    def get_inverter_statistics(self, inverter_id: str, day: dt.date) -> Mapping[str, Any]:
        """Raw production statistics for one local day (QUARTER_HOUR resolution)."""
        params = {"year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}"}
        return self.http.json(
            "GET",
            PATHS["inverter_statistics"].format(inverter_id=inverter_id),
            params=params,
            what="get inverter statistics",
        )

    def get_inverter_daily(self, inverter_id: str, year: int, month: int) -> pd.Series:
        """Daily production [kWh] of one month (DAY resolution), indexed by local day start in UTC."""
        body = self.http.json(
            "GET",
            PATHS["inverter_statistics"].format(inverter_id=inverter_id),
            params={"year": f"{year:04d}", "month": f"{month:02d}"},
            what="get inverter statistics",
        )
        return _parse_inverter_daily(body)

    def get_inverter_production(self, inverter_id: str, start: dt.date, end: dt.date) -> pd.Series:
        """Hourly production [kWh], UTC, for local days ``start`` .. ``end`` inclusive (one call a day)."""
        parts = []
        day = start
        while day <= end:
            parts.append(_parse_inverter_statistics(self.get_inverter_statistics(inverter_id, day)))
            day += dt.timedelta(days=1)
        return _concat(parts)

    def get_hem_statistics(self, hem_system_id: str, day: dt.date) -> Mapping[str, Any]:
        """Raw HEM system statistics for one local day (finest resolution available)."""
        return self.http.json(
            "GET",
            PATHS["hem_statistics"].format(hem_system_id=hem_system_id),
            params={"interval": "DAY", "date": day.isoformat()},  # assumed parameter names
            what="get HEM system statistics",
        )

    def get_hem_energy(self, hem_system_id: str, start: dt.date, end: dt.date) -> dict[str, pd.Series]:
        """Hourly HEM flows [kWh], UTC: generation, consumption, gridImport, gridExport, battery*."""
        collected: dict[str, list[pd.Series]] = {}
        day = start
        while day <= end:
            for name, series in _parse_hem_statistics(self.get_hem_statistics(hem_system_id, day)).items():
                collected.setdefault(name, []).append(series)
            day += dt.timedelta(days=1)
        return {name: _concat(parts) for name, parts in collected.items()}


def _concat(parts: list[pd.Series]) -> pd.Series:
    from ..series import empty_hourly

    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_hourly()
    series = pd.concat(parts)
    series = series[~series.index.duplicated(keep="last")].sort_index()
    series.name = parts[0].name
    return series
