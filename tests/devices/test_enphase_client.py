"""Enphase Enlighten client against the fake Enlighten server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import logging
import random
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from apps.devices.clients import (
    MemoryTokenStore,
    OAuthStateError,
    RetryPolicy,
    VendorAuthError,
    VendorUnavailable,
)
from apps.devices.clients.enphase import EnphaseClient, new_oauth_state
from devkit.vendors import enphase as fe
from devkit.vendors import household as hh

from .conftest import FakeClock, SleepRecorder, shared_http

REDIRECT = "https://solarscan.example/devices/enphase/callback"


def make_client(handle, retry, http=None, **kwargs) -> EnphaseClient:
    options = dict(
        api_url=f"{handle.base_url}/api/v4",
        auth_url=handle.base_url,
        api_key=fe.API_KEY,
        client_id=fe.CLIENT_ID,
        client_secret=fe.CLIENT_SECRET,
        redirect_uri=REDIRECT,
        retry=retry,
        http_client=http or shared_http(),
    )
    options.update(kwargs)
    return EnphaseClient(**options)


def consent(client: EnphaseClient, state: str) -> dict[str, str]:
    """The household clicks 'allow': the fake redirects to our callback with code and state."""
    answer = shared_http().get(client.authorization_url(state))
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def linked(handle, retry, **kwargs) -> EnphaseClient:
    client = make_client(handle, retry, **kwargs)
    state = new_oauth_state()
    callback = consent(client, state)
    client.exchange_code(callback["code"], state=callback["state"], expected_state=state)
    return client


def test_authorization_url_carries_state_and_client(fake, retry):
    handle = fake("enphase")
    client = make_client(handle, retry)
    url = urlsplit(client.authorization_url("st-123"))
    query = parse_qs(url.query)
    assert url.path == "/oauth/authorize"
    assert query == {
        "response_type": ["code"],
        "client_id": [fe.CLIENT_ID],
        "redirect_uri": [REDIRECT],
        "state": ["st-123"],
    }
    assert fe.CLIENT_SECRET not in client.authorization_url("st-123")


def test_code_exchange_stores_tokens(fake, retry):
    handle = fake("enphase")
    store = MemoryTokenStore()
    client = linked(handle, retry, token_store=store)
    assert store.token is not None and store.token.refresh_token
    assert "access_token" not in repr(store.token) and store.token.access_token not in repr(store.token)
    assert [s.name for s in client.list_systems()] == ["Zonnedak Utrecht"]


def test_state_mismatch_rejected_before_any_token_request(fake, retry):
    handle = fake("enphase")
    client = make_client(handle, retry)
    callback = consent(client, "the-state-we-issued")
    with pytest.raises(OAuthStateError, match="does not match"):
        client.exchange_code(callback["code"], state="forged-state", expected_state="the-state-we-issued")
    with pytest.raises(OAuthStateError, match="no OAuth state was stored"):
        client.exchange_code(callback["code"], state=callback["state"], expected_state=None)
    with pytest.raises(OAuthStateError):
        client.exchange_code(callback["code"], state=None, expected_state="the-state-we-issued")
    assert handle.app.requests_to("/oauth/token") == []


def test_code_reuse_refused(fake, retry):
    handle = fake("enphase")
    client = make_client(handle, retry)
    state = new_oauth_state()
    callback = consent(client, state)
    client.exchange_code(callback["code"], state=state, expected_state=state)
    with pytest.raises(VendorAuthError, match="link their system again") as info:
        client.exchange_code(callback["code"], state=state, expected_state=state)
    assert callback["code"] not in str(info.value)


def test_not_linked_yet(fake, retry):
    handle = fake("enphase")
    with pytest.raises(VendorAuthError, match="must link"):
        make_client(handle, retry).list_systems()


def test_expired_access_token_refreshed_on_401_and_rotated(fake, retry):
    handle = fake("enphase")
    store = MemoryTokenStore()
    client = linked(handle, retry, token_store=store)
    first = store.token
    handle.app.expire_tokens()
    assert client.get_system_summary(1765).size_kw == pytest.approx(hh.PV_KWP)
    assert store.token.access_token != first.access_token
    assert store.token.refresh_token != first.refresh_token  # rotated
    assert [r["status"] for r in handle.app.requests_to("/api/v4/systems/1765/summary")] == [401, 200]


def test_token_refreshed_before_expiry_without_a_401(fake, sleeps):
    clock = FakeClock()
    handle = fake("enphase", clock=clock, token_ttl=3600)
    client = linked(handle, RetryPolicy(sleep=sleeps), clock=clock)
    clock.now += 3590  # inside the 60 s safety margin
    client.list_systems()
    assert len(handle.app.requests_to("/oauth/token")) == 2
    assert [r["status"] for r in handle.app.requests_to("/api/v4/systems")] == [200]


def test_revoked_refresh_token_means_relink(fake, retry):
    handle = fake("enphase")
    client = linked(handle, retry)
    handle.app.refresh_tokens.clear()
    handle.app.expire_tokens()
    with pytest.raises(VendorAuthError, match="link their system again"):
        client.list_systems()


def test_systems_pagination_with_next(fake, retry):
    handle = fake("enphase", systems=5)
    client = linked(handle, retry)
    systems = client.list_systems(limit=2)
    assert [s.vendor_id for s in systems] == ["1765", "1766", "1767", "1768", "1769"]
    assert len(handle.app.requests_to("/api/v4/systems")) == 3


def test_v2_key_and_user_id_mode(fake, retry, caplog):
    handle = fake("enphase")
    client = make_client(handle, retry, api_url=f"{handle.base_url}/api/v2", user_id=fe.USER_ID)
    assert len(client.list_systems()) == 1
    bad = make_client(
        handle, retry, api_url=f"{handle.base_url}/api/v2", user_id=fe.USER_ID, api_key="k-secret-99"
    )
    with caplog.at_level(logging.DEBUG), pytest.raises(VendorAuthError) as info:
        bad.list_systems()
    assert "Not authorized" in str(info.value)  # the document's ClientError message
    assert "k-secret-99" not in str(info.value) and "k-secret-99" not in caplog.text


def test_409_usage_limit_waits_for_period_end(fake, retry, sleeps):
    handle = fake("enphase")
    client = make_client(handle, retry, api_url=f"{handle.base_url}/api/v2", user_id=fe.USER_ID)
    handle.app.fail_next(409, count=1, retry_after=20, path="/api/v2/systems")
    assert len(client.list_systems()) == 1
    (wait,) = sleeps.waits
    assert 19 <= wait <= 22  # period_end - now + 1 s


def test_429_retry_after_then_success(fake, retry, sleeps):
    handle = fake("enphase")
    client = linked(handle, retry)
    handle.app.fail_next(429, count=1, retry_after=5, path="/api/v4/systems")
    assert len(client.list_systems()) == 1
    assert sleeps.waits == [5.0]


def test_plan_limit_hit_then_waited_out(fake):
    clock = FakeClock(1_750_000_030.5)  # mid-minute, fixed: the test does not depend on wall time
    sleeps = SleepRecorder(clock)
    handle = fake("enphase", clock=clock, plan_limit_per_minute=3)
    client = linked(handle, RetryPolicy(sleep=sleeps, rng=random.Random(1)), clock=clock)
    for _ in range(4):
        client.get_summary(1765)
    statuses = [r["status"] for r in handle.app.requests_to("/api/v4/systems/1765/summary")]
    assert statuses == [200, 200, 200, 429, 200]
    assert len(sleeps.waits) == 1 and 1 <= sleeps.waits[0] <= 60


def test_client_side_pacing_avoids_the_limit(fake):
    clock = FakeClock(1_750_000_030.5)  # mid-minute, fixed: the test does not depend on wall time
    sleeps = SleepRecorder(clock)
    handle = fake("enphase", clock=clock, plan_limit_per_minute=3)
    client = linked(handle, RetryPolicy(sleep=sleeps), clock=clock, requests_per_minute=3)
    for _ in range(7):
        client.get_summary(1765)
    assert {r["status"] for r in handle.app.requests_to("/api/v4/systems/1765/summary")} == {200}
    assert len(sleeps.waits) == 2  # paused before the 4th and the 7th request


def test_5xx_exhausted_is_unavailable(fake, retry, sleeps):
    handle = fake("enphase")
    client = linked(handle, retry)
    handle.app.fail_next(503, count=9, path="/api/v4/systems/1765/stats")
    with pytest.raises(VendorUnavailable, match="Data temporarily unavailable"):
        client.get_stats(1765, 1750000000, 1750003600)
    assert len(sleeps.waits) == 3


def test_year_totals_from_daily_series(fake, retry):
    handle = fake("enphase")
    client = linked(handle, retry)
    production = client.get_daily_production(1765, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    consumption = client.get_daily_consumption(1765, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert len(production) == 365
    # local (CET) days cover 2024-12-31 23:00Z .. 2025-12-31 23:00Z: equal to the year up to an hour
    assert production.sum() == pytest.approx(hh.PV_ANNUAL_KWH, abs=2.0)
    assert consumption.sum() == pytest.approx(hh.LOAD_ANNUAL_KWH, abs=2.0)


def test_hourly_production_and_consumption(fake, retry):
    handle = fake("enphase")
    client = linked(handle, retry)
    start, end = dt.datetime(2025, 6, 20, 22, tzinfo=dt.UTC), dt.datetime(2025, 6, 22, 22, tzinfo=dt.UTC)
    production = client.get_production_hourly(1765, start, end)
    assert len(handle.app.requests_to("/api/v4/systems/1765/stats")) == 2  # one day per call
    expected = hh.hourly("pv", pd.Timestamp(start), pd.Timestamp(end))
    expected = expected[expected.round(4) > 0]
    assert production.reindex(expected.index).to_numpy() == pytest.approx(expected.to_numpy(), abs=0.01)
    consumption = client.get_consumption_hourly(1765, start, end)
    assert len(consumption) == 48
    assert consumption.sum() == pytest.approx(
        hh.hourly("load", pd.Timestamp(start), pd.Timestamp(end)).sum(), abs=0.05
    )


def test_no_consumption_meter_is_204(fake, retry):
    handle = fake("enphase", has_consumption_meter=False)
    client = linked(handle, retry)
    assert client.get_consumption_lifetime(1765) is None
    assert client.get_daily_consumption(1765, dt.date(2025, 1, 1), dt.date(2025, 1, 2)).empty


def test_concurrent_refresh_race_uses_the_winners_token(fake, retry):
    handle = fake("enphase")
    store = MemoryTokenStore()
    worker_a = linked(handle, retry, token_store=store)
    worker_b = make_client(handle, retry, token_store=store)
    stale = store.token  # both workers read this token, then both refresh it
    winner = worker_a.refresh(stale)
    assert worker_b.refresh(stale) == winner  # B's grant is refused (rotated), B takes A's token
    assert worker_b.get_system_summary(1765).system_id == "1765"
