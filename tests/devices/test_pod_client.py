"""POD consumption API client against the fake POD server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from apps.devices.clients import (
    VendorAuthError,
    VendorInputError,
    VendorRateLimited,
    VendorRequestError,
    VendorUnavailable,
)
from apps.devices.clients.pod import PodClient, build_onboarding, validate_pod
from devkit.vendors import household as hh
from devkit.vendors import pod as fp

from .conftest import FakeClock, shared_http

# 6 March 2025, 10:00 UTC: "yesterday" is 5 March, whose year-day-month timestamps ("2025-05-03")
# also read as a valid ISO date (3 May) - the ambiguous case the parser must resolve.
NOW = dt.datetime(2025, 3, 6, 10, 0, tzinfo=dt.UTC)


def make_client(handle, retry, **kwargs) -> PodClient:
    options = dict(
        api_url=handle.base_url,
        client_id=fp.CLIENT_ID,
        client_secret=fp.CLIENT_SECRET,
        retry=retry,
        http_client=shared_http(),
        clock=FakeClock(NOW.timestamp()),
    )
    options.update(kwargs)
    return PodClient(**options)


# ------------------------------------------------------------------------------ POD validation


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("IT001E12345678901AB", "IT001E12345678901AB"),
        ("it001e12345678901ab", "IT001E12345678901AB"),  # case is normalised
        (" IT 001 E123 4567 8901 AB ", "IT001E12345678901AB"),  # so are spaces
        ("IT-001-E12345678901AB", "IT001E12345678901AB"),
        ("NL00012345678901234", "NL00012345678901234"),
    ],
)
def test_valid_pods(raw, canonical):
    assert validate_pod(raw) == canonical


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "empty"),
        ("IT001E1234567890AB", "must be 19 characters .* got 18"),  # the document's own example
        ("IT001E1234567890ABCD", "got 20"),  # the document's prose length
        ("1T001E12345678901AB", "two-letter country code"),
        ("IT001E1234567890_AB", "only letters and digits; found '_'"),
        ("IT001É12345678901AB", "only letters and digits"),
    ],
)
def test_invalid_pods_explain_why(raw, message):
    with pytest.raises(VendorInputError, match=message):
        validate_pod(raw)


def test_invalid_pod_is_not_sent(fake, retry):
    handle = fake("pod")
    with pytest.raises(VendorInputError):
        make_client(handle, retry).register_pod(
            "IT001E1234567890AB", account_number="42", company_code="ACME"
        )
    assert handle.app.log == []


def test_onboarding_body_checked():
    body = build_onboarding(
        house_type="apartment",
        dimension_m2=87,
        province="MI",
        adults=1,
        children=1,
        appliances={"airConditioner": 1},
    )
    assert body == {  # the document's example request
        "house": {"type": "apartment", "dimesion": 87, "province": "MI"},
        "residents": {"adults": 1, "children": 1, "elderlies": 0},
        "appliances": [{"appliance": "airConditioner", "quantity": 1}],
    }
    with pytest.raises(VendorInputError, match="at least one resident"):
        build_onboarding(house_type="house", dimension_m2=100, province="UT", adults=0)
    with pytest.raises(VendorInputError, match="floor area"):
        build_onboarding(house_type="house", dimension_m2=0, province="UT", adults=2)
    with pytest.raises(VendorInputError, match="quantity"):
        build_onboarding(house_type="house", dimension_m2=90, province="UT", adults=2, appliances={"oven": 0})


# ---------------------------------------------------------------------------------- over HTTP


def test_register_onboard_and_read(fake, retry):
    handle = fake("pod", now=NOW)
    client = make_client(handle, retry)
    registered = client.register_pod(" it001e12345678901zz ", account_number="777", company_code="ACME")
    assert registered == {"pod": "IT001E12345678901ZZ", "account_number": "777", "company_code": "ACME"}
    onboarding = build_onboarding(house_type="house", dimension_m2=120, province="UT", adults=2, children=2)
    assert client.onboard("777", onboarding)["residents"]["children"] == 2
    assert len(handle.app.requests_to("/auth/token")) == 1  # one token for all three calls


def test_consumption_yesterday_matches_household(fake, retry):
    handle = fake("pod", now=NOW)
    client = make_client(handle, retry)
    frame = client.consumption_hourly(fp.DEMO_ACCOUNT, "yesterday")
    # yesterday in Rome (CET): 2025-03-04 23:00Z .. 2025-03-05 23:00Z
    assert frame.index[0] == pd.Timestamp("2025-03-04 23:00", tz="UTC") and len(frame) == 24
    assert set(frame.columns) == {"fridge", "washingMachine", "oven", "smallAppliances", "other", "total"}
    expected = hh.hourly("load", frame.index[0], frame.index[-1] + pd.Timedelta(hours=1))
    assert frame["total"].to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-3)


def test_consumption_with_iso_dates_too(fake, retry):
    handle = fake("pod", now=NOW, date_style="iso")
    frame = make_client(handle, retry).consumption_hourly(fp.DEMO_ACCOUNT, "yesterday")
    assert frame.index[0] == pd.Timestamp("2025-03-04 23:00", tz="UTC")


def test_month_period_uses_quarter_hours(fake, retry):
    handle = fake("pod", now=NOW)
    frame = make_client(handle, retry).consumption_hourly(fp.DEMO_ACCOUNT, "last-month")
    assert len(frame) == 28 * 24  # February 2025
    feb = hh.hourly(
        "load", pd.Timestamp("2025-01-31 23:00", tz="UTC"), pd.Timestamp("2025-02-28 23:00", tz="UTC")
    )
    assert frame["total"].sum() == pytest.approx(feb.sum(), abs=0.05)


def test_other_endpoints(fake, retry):
    handle = fake("pod", now=NOW)
    client = make_client(handle, retry)
    dist = client.distribution(fp.DEMO_ACCOUNT, "last-week")
    assert sum(dist["appliances_kwh"].values()) == pytest.approx(dist["selected_period_kwh"], abs=0.01)
    perf = client.performance(fp.DEMO_ACCOUNT, "yesterday")
    assert perf["min_kwh"] < perf["user_kwh"] < perf["max_kwh"]
    habits = client.habits(fp.DEMO_ACCOUNT, "last-seven-days")
    assert habits.shape == (7, 24) and not pd.isna(habits).any()
    trend = client.trend(fp.DEMO_ACCOUNT)
    assert len(trend) == 12 and list(trend.columns) == ["f1", "f2", "f3", "total"]
    assert trend["total"].sum() == pytest.approx(hh.LOAD_ANNUAL_KWH, rel=0.01)  # any 12 months = the year
    now_hour = pd.Timestamp(NOW).floor("h")
    assert client.realtime_kw(fp.DEMO_ACCOUNT) == pytest.approx(
        hh.hourly("load", now_hour, now_hour + pd.Timedelta(hours=1)).iloc[0], abs=1e-3
    )
    latest = client.latest_hourly(fp.DEMO_ACCOUNT)
    assert latest.index[0] == pd.Timestamp("2025-03-06 04:00", tz="UTC") and len(latest) == 6


def test_bad_period_and_unknown_account(fake, retry):
    handle = fake("pod", now=NOW)
    client = make_client(handle, retry)
    with pytest.raises(VendorInputError, match="unknown period 'last-year'"):
        client.consumption_hourly(fp.DEMO_ACCOUNT, "last-year")
    with pytest.raises(VendorRequestError, match="register its POD first") as info:
        client.realtime_kw("999")
    assert info.value.status == 404


def test_expired_token_refreshed_once(fake, retry):
    handle = fake("pod", now=NOW)
    client = make_client(handle, retry)
    client.realtime_kw(fp.DEMO_ACCOUNT)
    handle.app.expire_tokens()
    client.realtime_kw(fp.DEMO_ACCOUNT)
    assert len(handle.app.requests_to("/auth/token")) == 2
    assert [r["status"] for r in handle.app.requests_to("/users/")] == [200, 401, 200]


def test_wrong_credentials(fake, retry):
    handle = fake("pod", now=NOW)
    with pytest.raises(VendorAuthError, match="check the client id and secret") as info:
        make_client(handle, retry, client_secret="nope-nope-nope").realtime_kw(fp.DEMO_ACCOUNT)
    assert "nope-nope-nope" not in str(info.value)


def test_throttled_then_ok_and_exhausted(fake, retry, sleeps):
    handle = fake("pod", now=NOW)
    client = make_client(handle, retry)
    handle.app.fail_next(429, count=1, retry_after=4, path="/users/")
    client.realtime_kw(fp.DEMO_ACCOUNT)
    assert sleeps.waits == [4.0]
    handle.app.fail_next(429, count=9, path="/users/")  # no Retry-After: backoff, then give up
    with pytest.raises(VendorRateLimited, match="try again later"):
        client.realtime_kw(fp.DEMO_ACCOUNT)


def test_server_errors_then_unavailable(fake, retry, sleeps):
    handle = fake("pod", now=NOW)
    client = make_client(handle, retry)
    handle.app.fail_next(502, count=2, path="/users/")
    assert client.realtime_kw(fp.DEMO_ACCOUNT) > 0
    handle.app.fail_next(500, count=9, path="/users/")
    with pytest.raises(VendorUnavailable, match="Service temporarily unavailable"):
        client.realtime_kw(fp.DEMO_ACCOUNT)


def test_token_endpoint_down_is_unavailable(fake, retry):
    handle = fake("pod", now=NOW)
    handle.app.fail_next(503, count=9, path="/auth/token")
    with pytest.raises(VendorUnavailable, match="get an access token"):
        make_client(handle, retry).realtime_kw(fp.DEMO_ACCOUNT)
