"""Live sources of day-ahead prices: the network calls and the pure conversion of their bodies, kept apart
(as pvlib's iotools do) so that tests feed recorded bodies and never touch the network.

* EnergyZero public prices API (NL only): ``GET https://api.energyzero.nl/v1/energyprices`` with
  ``fromDate``/``tillDate`` (UTC), ``interval=4`` (hour), ``usageType=1`` (electricity), ``inclBtw=false``;
  body ``{"Prices": [{"price": EUR/kWh excl. VAT, "readingDate": "YYYY-MM-DDTHH:MM:SSZ"}, ...], ...}``
  where ``readingDate`` is the UTC start of the hour.
* ENTSO-E Transparency Platform through ``entsoe-py`` (NL and BE; needs ``ENTSOE_API_TOKEN``):
  ``EntsoePandasClient.query_day_ahead_prices`` returns EUR/MWh indexed by local time.

Both return a ``pandas.Series`` in EUR/MWh indexed by the UTC start of the hour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

ENERGYZERO_URL = "https://api.energyzero.nl/v1/energyprices"
ENERGYZERO_TIMEOUT_S = 30.0
ENTSOE_AREAS = {"NL": "NL", "BE": "BE"}

EnergyZeroFetcher = Callable[[pd.Timestamp, pd.Timestamp], Mapping[str, Any]]
"""Returns the EnergyZero body for [from, till) in UTC."""


def fetch_energyzero(start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
    """One EnergyZero request for the hours in [start, end) UTC (network)."""
    import httpx  # local import: only the live path needs it

    response = httpx.get(
        ENERGYZERO_URL,
        params={
            "fromDate": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "tillDate": (end - pd.Timedelta(milliseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.999Z"),
            "interval": 4,
            "usageType": 1,
            "inclBtw": "false",
        },
        timeout=ENERGYZERO_TIMEOUT_S,
    )
    response.raise_for_status()
    return response.json()


def parse_energyzero(body: Mapping[str, Any]) -> pd.Series:
    """EnergyZero body → EUR/MWh by UTC hour start. Raises ``ValueError`` on a body of another shape or
    with stamps that are not UTC."""
    try:
        rows = body["Prices"]
        stamps = [row["readingDate"] for row in rows]
        prices = [float(row["price"]) for row in rows]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not an EnergyZero prices body: {exc!r}") from exc
    if any(not str(stamp).endswith("Z") for stamp in stamps):
        raise ValueError("EnergyZero readingDate must be UTC (ending in 'Z')")
    index = pd.DatetimeIndex(pd.to_datetime(stamps, utc=True), name="utc_hour_start")
    return pd.Series(prices, index=index, name="energyzero").mul(1000.0)  # EUR/kWh → EUR/MWh


def energyzero_year(year: int, fetcher: EnergyZeroFetcher | None = None) -> pd.Series:
    """A local calendar year from EnergyZero, fetched month by month [EUR/MWh by UTC hour start]."""
    fetch = fetcher or fetch_energyzero
    starts = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="MS", tz="Europe/Amsterdam")
    parts = [
        parse_energyzero(fetch(a.tz_convert("UTC"), b.tz_convert("UTC")))
        for a, b in zip(starts[:-1], starts[1:], strict=True)
    ]
    return pd.concat(parts).sort_index()


def entsoe_year(country: str, year: int, token: str, client: Any = None) -> pd.Series:
    """A local calendar year from ENTSO-E through entsoe-py, fetched month by month (entsoe-py's XML
    parsing grows faster than linearly with a document's length) [EUR/MWh by UTC hour start];
    quarter-hour products (from October 2025) are averaged to hours. ``client``: an
    ``EntsoePandasClient`` (tests give one with a recorded session)."""
    if client is None:
        if not token:
            raise ValueError("ENTSOE_API_TOKEN is not set")
        from entsoe import EntsoePandasClient  # local import: only the live path needs it

        client = EntsoePandasClient(api_key=token)
    tz = "Europe/Amsterdam" if country == "NL" else "Europe/Brussels"
    starts = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="MS", tz=tz)
    parts = []
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        part = client.query_day_ahead_prices(ENTSOE_AREAS[country], start=a, end=b)
        if part.index.tz is None:
            raise ValueError("ENTSO-E prices must carry a time zone")
        part = part.tz_convert("UTC")
        # entsoe-py includes the end stamp; keep [a, b) so months do not overlap.
        parts.append(part[(part.index >= a.tz_convert("UTC")) & (part.index < b.tz_convert("UTC"))])
    series = pd.concat(parts).sort_index()
    return series.resample("h").mean().rename("entsoe")
