"""`manage.py add_price_year`: a live price year is validated and stored, and scans can then bill on it.
Never the network: the command is fed bodies in the vendor's documented format.

The recorded values are real: the NL 2023 day-ahead year of the built-in data (EPEX via EnergyZero, mean
95.82 EUR/MWh, 302 hours below zero, shared/data/SOURCES.md), laid on the hours of 2026 (also 8,760 hours),
so every expected figure below is the published one of that file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from djangorestframework_camel_case.util import underscoreize

from apps.engine import reference_data
from apps.prices.models import PriceYear
from apps.scans.api.serializers import ScanCreateSerializer
from apps.scans.engine_inputs import build_engine_inputs
from tests.scans.conftest import SEED_BODY, resolved_inputs

YEAR = 2026


def hours_of(year: int) -> pd.DatetimeIndex:
    return pd.date_range(
        f"{year - 1}-12-31 23:00", f"{year}-12-31 23:00", freq="h", tz="UTC", inclusive="left"
    )


def recorded_prices_eur_per_kwh() -> pd.Series:
    values = reference_data.day_ahead_hourly("NL", 2023).to_numpy() / 1000.0
    return pd.Series(values, index=hours_of(YEAR))


def energyzero_fetcher(
    prices: pd.Series, calls: list | None = None, stamp_format: str = "%Y-%m-%dT%H:%M:%SZ"
):
    """Answers like the EnergyZero API: {"Prices": [{"price": EUR/kWh, "readingDate": UTC}], ...}."""

    def fetch(start: pd.Timestamp, end: pd.Timestamp) -> dict:
        if calls is not None:
            calls.append((start, end))
        part = prices[(prices.index >= start) & (prices.index < end)]
        rows = [
            {"readingDate": t.strftime(stamp_format), "price": round(float(p), 5)} for t, p in part.items()
        ]
        return {
            "Prices": rows,
            "intervalType": 4,
            "average": float(part.mean()) if len(part) else 0.0,
            "fromDate": start.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "tillDate": end.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }

    return fetch


def add(fetcher, **kwargs) -> None:
    call_command(
        "add_price_year", country=kwargs.pop("country", "NL"), year=YEAR, energyzero_fetcher=fetcher, **kwargs
    )


def test_energyzero_year_is_stored_with_its_figures(db):
    calls: list = []
    add(energyzero_fetcher(recorded_prices_eur_per_kwh(), calls))
    row = PriceYear.objects.get(country="NL", year=YEAR)
    # Fetched month by month over the local calendar year: 12 requests, the first from 23:00 UTC on 31 Dec.
    assert len(calls) == 12 and calls[0][0] == pd.Timestamp(f"{YEAR - 1}-12-31 23:00", tz="UTC")
    assert len(row.eur_per_mwh) == 8760
    assert row.mean_eur_per_mwh == pytest.approx(95.82, abs=0.01)  # the file's published mean
    assert row.negative_hours == 302
    assert "EnergyZero" in row.source


def test_scans_offer_a_stored_year_and_bill_on_it(db):
    body = {**SEED_BODY, "tariff": {"type": "dynamic", "priceYear": YEAR}}
    assert not ScanCreateSerializer(data=underscoreize(body)).is_valid()  # not there yet
    add(energyzero_fetcher(recorded_prices_eur_per_kwh()))
    inputs = build_engine_inputs(resolved_inputs(body))
    tariff = inputs.tariff
    assert tariff.price_year == YEAR and "EnergyZero" in tariff.price_source
    # On the time base [EUR/kWh]: the same 8,760 hours, so the same mean.
    assert tariff.day_ahead_eur_per_kwh.shape == (8760,)
    assert tariff.day_ahead_eur_per_kwh.mean() * 1000 == pytest.approx(95.82, abs=0.01)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.drop(p.index[100]), "1 of 8760 hours of 2026 missing"),
        (lambda p: p * 1000.0, "outside"),  # a body in EUR/MWh where EnergyZero gives EUR/kWh
        (lambda p: p / 1000.0, "wrong unit"),  # a body in MWh-thousandths: mean far too small
    ],
    ids=["missing hour", "EUR/MWh body", "tiny unit"],
)
def test_bad_years_are_refused_and_nothing_is_stored(db, mutate, message):
    with pytest.raises(CommandError, match=message):
        add(energyzero_fetcher(mutate(recorded_prices_eur_per_kwh())))
    assert not PriceYear.objects.exists()


def test_local_time_stamps_are_refused(db):
    with pytest.raises(CommandError, match="UTC"):
        add(energyzero_fetcher(recorded_prices_eur_per_kwh(), stamp_format="%Y-%m-%dT%H:%M:%S+01:00"))
    assert not PriceYear.objects.exists()


def test_built_in_years_foreign_countries_and_repeats_are_refused(db):
    with pytest.raises(CommandError, match="EnergyZero publishes NL prices only"):
        add(energyzero_fetcher(recorded_prices_eur_per_kwh()), country="BE")
    fetcher = energyzero_fetcher(recorded_prices_eur_per_kwh())
    add(fetcher)
    with pytest.raises(CommandError, match="already stored"):
        add(fetcher)
    add(fetcher, replace=True)
    assert PriceYear.objects.count() == 1
    with pytest.raises(CommandError, match="built-in measured year"):
        call_command("add_price_year", country="NL", year=2024, energyzero_fetcher=fetcher)


def entsoe_document(prices: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A Publication_MarketDocument (A44 day-ahead prices) as the ENTSO-E Transparency API returns it: one
    TimeSeries per UTC day, EUR/MWh, in the resolution of ``prices`` (PT60M, or PT15M as published since
    October 2025)."""
    step = prices.index[1] - prices.index[0]
    resolution = "PT15M" if step == pd.Timedelta(minutes=15) else "PT60M"
    series = []
    for day in pd.date_range(start.floor("D"), end, freq="D", inclusive="left"):
        quarters = prices[(prices.index >= day) & (prices.index < day + pd.Timedelta(days=1))]
        if quarters.empty:
            continue
        points = "".join(
            f"<Point><position>{i + 1}</position><price.amount>{v:.2f}</price.amount></Point>"
            for i, v in enumerate(quarters.to_numpy())
        )
        first, last = quarters.index[0], quarters.index[-1] + step
        series.append(
            "<TimeSeries><mRID>1</mRID><businessType>A62</businessType>"
            '<in_Domain.mRID codingScheme="A01">10YBE----------2</in_Domain.mRID>'
            '<out_Domain.mRID codingScheme="A01">10YBE----------2</out_Domain.mRID>'
            "<currency_Unit.name>EUR</currency_Unit.name><price_Measure_Unit.name>MWH</price_Measure_Unit.name>"
            "<curveType>A01</curveType><Period><timeInterval>"
            f"<start>{first:%Y-%m-%dT%H:%MZ}</start><end>{last:%Y-%m-%dT%H:%MZ}</end></timeInterval>"
            f"<resolution>{resolution}</resolution>{points}</Period></TimeSeries>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Publication_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-3:publicationdocument:7:3">'
        "<mRID>test</mRID><revisionNumber>1</revisionNumber><type>A44</type>"
        + "".join(series)
        + "</Publication_MarketDocument>"
    )


NO_MATCHING_DATA = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<Acknowledgement_MarketDocument xmlns="urn:iec62325.351:tc57wg16:451-1:acknowledgementdocument:7:0">'
    "<mRID>ack</mRID><Reason><code>999</code><text>No matching data found for Data item Day-ahead Prices "
    "[12.1.D] (10YBE----------2, 10YBE----------2).</text></Reason></Acknowledgement_MarketDocument>"
)


class RecordedEntsoeSession:
    """A requests session that answers ENTSO-E's API from recorded quarter-hour prices (never the network)."""

    def __init__(self, hourly: pd.Series, quarters: pd.Series) -> None:
        self.hourly = hourly
        self.quarters = quarters
        self.requests: list[dict] = []
        self.headers: dict[str, str] = {}

    def get(self, url, params=None, proxies=None, timeout=None):
        import requests

        self.requests.append(dict(params))
        assert params["documentType"] == "A44" and params["securityToken"] == "recorded-token"
        start = pd.Timestamp(params["periodStart"], tz="UTC")
        end = pd.Timestamp(params["periodEnd"], tz="UTC")
        response = requests.Response()
        response.encoding = "utf-8"
        if params.get("offset", 0) > 0:
            # The API pages by 100 TimeSeries; a month has at most 33 daily ones, so page 2 is empty and is
            # answered, as the API does, with an acknowledgement "No matching data found".
            response.status_code = 400
            response._content = NO_MATCHING_DATA.encode()
            return response
        # Hourly documents up to September, quarter hours from October (the switch of 1 Oct 2025).
        recorded = self.quarters if start >= self.quarters.index[0] else self.hourly
        response.status_code = 200
        response._content = entsoe_document(recorded, start, end).encode()
        return response


def test_entsoe_year_in_quarter_hours_is_averaged_to_hours(db, settings):
    from entsoe import EntsoePandasClient

    # BE 2023 (ENTSO-E, mean 97.27 EUR/MWh, 222 hours below zero) laid on 2026: hourly documents up to
    # September, and from October each hour as four equal quarter hours, whose hourly means are the hours.
    values = reference_data.day_ahead_hourly("BE", 2023).to_numpy()
    hours = pd.Series(values, index=hours_of(YEAR))
    autumn = hours[hours.index >= pd.Timestamp(f"{YEAR}-09-30 22:00", tz="UTC")]
    quarters = pd.Series(
        np.repeat(autumn.to_numpy(), 4),
        index=pd.date_range(autumn.index[0], periods=4 * len(autumn), freq="15min"),
    )
    session = RecordedEntsoeSession(hours, quarters)
    client = EntsoePandasClient(api_key="recorded-token", session=session)
    call_command("add_price_year", country="BE", year=YEAR, source="entsoe", entsoe_client=client)
    row = PriceYear.objects.get(country="BE", year=YEAR)
    # Month by month (and a second, empty page each) through entsoe-py's request and XML parser.
    assert len(session.requests) == 24
    assert row.mean_eur_per_mwh == pytest.approx(97.27, abs=0.01) and row.negative_hours == 222
    np.testing.assert_allclose(row.eur_per_mwh, np.round(values, 2), atol=0.006)


def test_entsoe_needs_a_token(db, settings):
    settings.ENTSOE_API_TOKEN = ""
    with pytest.raises(CommandError, match="ENTSOE_API_TOKEN is not set"):
        call_command("add_price_year", country="BE", year=YEAR, source="entsoe")
