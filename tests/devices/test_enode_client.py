"""Enode client against the fake Enode server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import logging

import httpx
import pandas as pd
import pytest

from apps.devices.clients import (
    MemoryTokenStore,
    RetryPolicy,
    VendorAuthError,
    VendorInputError,
    VendorRateLimited,
    VendorRequestError,
    VendorUnavailable,
)
from apps.devices.clients.enode import (
    SIGNATURE_HEADER,
    EnodeClient,
    parse_webhook_events,
    sign_webhook_body,
    verify_webhook_signature,
)
from devkit.vendors import enode as fe
from devkit.vendors import household as hh

from .conftest import shared_http


def make_client(handle, retry, http=None, **kwargs) -> EnodeClient:
    options = dict(
        api_url=handle.base_url,
        token_url=f"{handle.base_url}/oauth2/token",
        client_id=fe.CLIENT_ID,
        client_secret=fe.CLIENT_SECRET,
        retry=retry,
        http_client=http or shared_http(),
    )
    options.update(kwargs)
    return EnodeClient(**options)


def token_requests(handle) -> int:
    return len(handle.app.requests_to("/oauth2/token"))


def test_token_is_cached_across_calls(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    assert len(client.list_inverters(user_id=fe.DEMO_USER)) == 1
    assert len(client.list_meters(user_id=fe.DEMO_USER)) == 1
    assert token_requests(handle) == 1


def test_token_shared_through_store(fake, retry):
    handle = fake("enode")
    store = MemoryTokenStore()
    make_client(handle, retry, token_store=store).list_batteries()
    make_client(handle, retry, token_store=store).list_batteries()  # a second process, same store
    assert token_requests(handle) == 1


def test_all_asset_kinds_and_capacities(fake, retry):
    handle = fake("enode")
    facts = make_client(handle, retry).list_all_assets(user_id=fe.DEMO_USER)
    kinds = {f.kind: f for f in facts}
    assert set(kinds) == {"inverter", "meter", "battery", "vehicle", "charger", "hvac", "hem-system"}
    assert kinds["battery"].capacity_kwh == hh.BATTERY_KWH
    assert kinds["vehicle"].capacity_kwh == 58.0
    assert kinds["inverter"].name == "Zonnepanelen Utrecht"
    assert kinds["inverter"].hem_system_id == kinds["hem-system"].vendor_id
    assert kinds["charger"].extra["max_current_a"] == 16


def test_pagination_follows_after_cursor(fake, retry):
    handle = fake("enode", inverters_per_user=5)
    client = make_client(handle, retry, page_size=2)
    inverters = client.list_inverters(user_id=fe.DEMO_USER)
    assert len(inverters) == 5
    assert len({i.vendor_id for i in inverters}) == 5
    assert len(handle.app.requests_to(f"/users/{fe.DEMO_USER}/inverters")) == 3  # 2 + 2 + 1
    assert inverters[-1].name == "Zonnepanelen Utrecht"  # newest first: the first one created is last


def test_link_session_then_household_opens_link(fake, retry):
    handle = fake("enode", seed_users=())
    client = make_client(handle, retry)
    assert client.list_inverters() == []
    session = client.create_link_session(
        "household-42",
        scopes=["inverter:read:data", "battery:read:data", "battery:read:location"],
        redirect_uri="https://solarscan.example/devices/enode/done",
    )
    assert session.link_url.startswith(handle.base_url + "/link/")
    opened = shared_http().get(session.link_url)
    assert opened.status_code == 302
    assert opened.headers["location"] == "https://solarscan.example/devices/enode/done?userId=household-42"
    assert [i.vendor for i in client.list_inverters(user_id="household-42")] == ["enode"]
    assert shared_http().get(session.link_url).status_code == 410  # single use


def test_link_session_scope_checked_before_sending(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    with pytest.raises(VendorInputError, match="'battery:read:data'"):
        client.create_link_session(
            "u", scopes=["battery:control:operation-mode"], redirect_uri="https://x/cb"
        )
    assert handle.app.requests_to("/users/") == []


def test_expired_token_refreshed_and_request_retried_once(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    client.list_inverters()
    handle.app.expire_tokens()
    assert len(client.list_inverters()) == 1
    assert token_requests(handle) == 2
    statuses = [r["status"] for r in handle.app.requests_to("/inverters")]
    assert statuses == [200, 401, 200]


def test_persistent_401_is_an_auth_error(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    handle.app.fail_next(401, count=5, path="/inverters")
    with pytest.raises(VendorAuthError, match="link the device again"):
        client.list_inverters()
    assert len(handle.app.requests_to("/inverters")) == 2  # the call and one retry after refreshing


def test_wrong_secret_is_auth_error_without_leaking(fake, retry, caplog):
    handle = fake("enode")
    secret = "wrong-secret-0123456789"
    client = make_client(handle, retry, client_secret=secret)
    with caplog.at_level(logging.DEBUG), pytest.raises(VendorAuthError) as info:
        client.list_inverters()
    assert "client" in str(info.value)
    assert secret not in str(info.value) and secret not in caplog.text


def test_429_waits_retry_after_then_succeeds(fake, retry, sleeps):
    handle = fake("enode")
    client = make_client(handle, retry)
    handle.app.fail_next(429, count=2, retry_after=3, path="/inverters")
    assert len(client.list_inverters()) == 1
    assert sleeps.waits == [3.0, 3.0]


def test_429_beyond_retries_is_rate_limited(fake, retry, sleeps):
    handle = fake("enode")
    client = make_client(handle, retry)
    handle.app.fail_next(429, count=10, retry_after=2, path="/meters")
    with pytest.raises(VendorRateLimited) as info:
        client.list_meters()
    assert info.value.retry_after == 2.0
    assert "try again in 2 s" in str(info.value)
    assert len(sleeps.waits) == 3


def test_5xx_retried_with_backoff_then_success(fake, retry, sleeps):
    handle = fake("enode")
    client = make_client(handle, retry)
    handle.app.fail_next(503, count=2, path="/batteries")
    assert len(client.list_batteries()) == 1
    assert len(sleeps.waits) == 2
    assert 0.25 <= sleeps.waits[0] <= 0.5 and 0.5 <= sleeps.waits[1] <= 1.0  # equal-jitter backoff


def test_5xx_exhausted_is_vendor_unavailable(fake, retry, sleeps):
    handle = fake("enode")
    client = make_client(handle, retry)
    handle.app.fail_next(500, count=10, path="/vehicles")
    with pytest.raises(VendorUnavailable) as info:
        client.list_vehicles()
    message = str(info.value)
    assert "HTTP 500" in message and "4 attempt(s)" in message and "try again later" in message
    assert "Server Error" in message  # the vendor's problem+json title
    assert len(handle.app.requests_to("/vehicles")) == 4


def test_timeouts_are_retried_then_unavailable(fake, sleeps):
    handle = fake("enode")
    client = make_client(
        handle,
        RetryPolicy(max_retries=1, sleep=sleeps),
        http_client=httpx.Client(timeout=0.2),
    )
    client.auth.token()
    handle.app.fail_next("slow", count=2, delay=0.5, path="/hvacs")
    with pytest.raises(VendorUnavailable, match="timeout"):
        client.list_hvacs()


def test_inverter_production_matches_household(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    inverter = client.list_inverters(user_id=fe.DEMO_USER)[0]
    series = client.get_inverter_production(inverter.vendor_id, dt.date(2025, 6, 21), dt.date(2025, 6, 21))
    # one local day (CEST): 2025-06-20 22:00Z .. 2025-06-21 21:00Z, 24 hours
    assert len(series) == 24 and series.index[0] == pd.Timestamp("2025-06-20 22:00", tz="UTC")
    expected = hh.hourly("pv", series.index[0], series.index[-1] + pd.Timedelta(hours=1))
    assert series.to_numpy() == pytest.approx(expected.to_numpy(), abs=4e-4)  # quarter values rounded


def test_hem_energy_hourly_flows_on_dst_day(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    hem = client.list_hem_systems(user_id=fe.DEMO_USER)[0]
    flows = client.get_hem_energy(hem.vendor_id, dt.date(2025, 3, 30), dt.date(2025, 3, 30))
    assert len(flows["generation"]) == 23  # clocks go forward: a 23-hour local day
    start, end = flows["consumption"].index[0], flows["consumption"].index[-1] + pd.Timedelta(hours=1)
    assert flows["consumption"].to_numpy() == pytest.approx(
        hh.hourly("load", start, end).to_numpy(), abs=1e-3
    )
    # the household balance holds per hour: pv + import + discharge = load + export + charge
    lhs = flows["generation"] + flows["gridImport"] + flows["batteryDischarge"]
    rhs = flows["consumption"] + flows["gridExport"] + flows["batteryCharge"]
    assert lhs.to_numpy() == pytest.approx(rhs.to_numpy(), abs=1e-3)


def test_unlink_deletes_user(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    client.delete_user(fe.DEMO_USER)
    assert client.list_inverters(user_id=fe.DEMO_USER) == []
    with pytest.raises(VendorRequestError, match="not found") as info:
        client.delete_user(fe.DEMO_USER)
    assert info.value.status == 404


def test_webhook_from_fake_verified_and_parsed(fake, retry):
    handle = fake("enode")
    event = handle.app.event(fe.DEMO_USER, "user:inverter:statistics-updated", day=dt.date(2025, 6, 21))
    body, headers = handle.app.webhook_delivery("whsec-test", [event])
    assert verify_webhook_signature("whsec-test", body, headers[SIGNATURE_HEADER])
    assert not verify_webhook_signature("other-secret", body, headers[SIGNATURE_HEADER])
    assert not verify_webhook_signature("whsec-test", body + b" ", headers[SIGNATURE_HEADER])
    assert not verify_webhook_signature("whsec-test", body, None)
    assert not verify_webhook_signature("whsec-test", body, "sha1=" + "0" * 40)
    (parsed,) = parse_webhook_events(body)
    assert parsed.asset.kind == "inverter" and parsed.user_id == fe.DEMO_USER
    assert parsed.statistics_kwh.sum() == pytest.approx(
        hh.hourly(
            "pv", pd.Timestamp("2025-06-20 22:00", tz="UTC"), pd.Timestamp("2025-06-21 22:00", tz="UTC")
        ).sum(),
        abs=0.01,
    )


def test_signature_known_vector():
    # HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog") - the RFC 2104 example value
    assert sign_webhook_body("key", b"The quick brown fox jumps over the lazy dog") == (
        "sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"
    )


def test_disconnect_vendor_removes_only_that_vendor(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    client.disconnect_vendor(fe.DEMO_USER, "HUAWEI")
    assert client.list_batteries(user_id=fe.DEMO_USER) == []
    assert len(client.list_inverters(user_id=fe.DEMO_USER)) == 1


def test_inverter_daily_month(fake, retry):
    handle = fake("enode")
    client = make_client(handle, retry)
    inverter = client.list_inverters(user_id=fe.DEMO_USER)[0]
    daily = client.get_inverter_daily(inverter.vendor_id, 2025, 6)
    assert len(daily) == 30
    june = hh.hourly(
        "pv", pd.Timestamp("2025-05-31 22:00", tz="UTC"), pd.Timestamp("2025-06-30 22:00", tz="UTC")
    )
    assert daily.sum() == pytest.approx(june.sum(), abs=0.05)
