"""The shared HTTP layer: Retry-After, backoff, redaction, token stores, pagination, fake control API."""

from __future__ import annotations

import email.utils
import logging
import random

import httpx
import pytest

from apps.devices.clients import CallbackTokenStore, Token, VendorError
from apps.devices.clients.errors import redact
from apps.devices.clients.http import RetryPolicy, iter_pages, parse_retry_after
from devkit.vendors.server import start_fake_server

from .conftest import shared_http


def test_retry_after_forms():
    now = 1_700_000_000.0
    assert parse_retry_after("120", now=now) == 120.0
    assert parse_retry_after("1.5", now=now) == 1.5
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(
        30, abs=1
    )
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0  # in the past
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(backoff_base=0.5, backoff_max=4.0, rng=random.Random(3))
    for attempt, (low, high) in enumerate([(0.25, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, 4.0), (2.0, 4.0)]):
        assert low <= policy.backoff(attempt) <= high


def test_redact_masks_tokens_and_known_secrets():
    text = 'Bearer abc.def.ghi failed; {"access_token": "tok123", "refresh_token":"r-9"} key=K123&x=1 s3cr3t!'
    out = redact(text, "s3cr3t!")
    for secret in ("abc.def.ghi", "tok123", "r-9", "K123", "s3cr3t!"):
        assert secret not in out
    assert "x=1" in out


def test_httpx_request_log_has_no_query_secrets(caplog):
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    with caplog.at_level(logging.INFO, logger="httpx"), httpx.Client(transport=transport) as client:
        client.get("https://api.example/systems?key=apikey-777&user_id=u-1&limit=5")
    assert "apikey-777" not in caplog.text and "u-1" not in caplog.text
    assert "limit=5" in caplog.text


def test_token_repr_and_callback_store_roundtrip():
    saved = {}
    store = CallbackTokenStore(load=lambda: saved.get("t"), save=lambda d: saved.__setitem__("t", d))
    assert store.load() is None
    token = Token(access_token="at-secret", expires_at=100.0, refresh_token="rt-secret")
    store.save(token)
    assert saved["t"]["access_token"] == "at-secret"  # the app stores it (encrypted, in its model)
    assert store.load() == token
    assert "secret" not in repr(token)
    assert token.is_fresh(39.0) and not token.is_fresh(41.0)  # 60 s margin
    assert Token(access_token="x").is_fresh(1e12)  # no expiry given


def test_iter_pages_stops_on_repeated_cursor():
    pages = {None: ([1, 2], "a"), "a": ([3], "b"), "b": ([4], "a")}  # a buggy API looping back
    assert list(iter_pages(lambda cursor: pages[cursor])) == [1, 2, 3, 4]
    with pytest.raises(VendorError, match="did not end"):
        list(iter_pages(lambda cursor: ([0], f"{cursor}x"), max_pages=5))


@pytest.mark.parametrize("vendor", ["enode", "enphase", "pod"])
def test_fake_control_endpoints_over_http(vendor):
    base_url, stop = start_fake_server(vendor)
    try:
        http = shared_http()
        assert (
            http.post(f"{base_url}/_fake/fail", json={"status": 503, "count": 1, "path": "/x"}).status_code
            == 204
        )
        assert http.get(f"{base_url}/x").status_code == 503
        assert http.get(f"{base_url}/x").status_code == 404  # the injected failure was used up
        assert [r["status"] for r in http.get(f"{base_url}/_fake/requests").json()] == [503, 404]
        assert http.post(f"{base_url}/_fake/expire-tokens").status_code == 204
        assert http.post(f"{base_url}/_fake/reset").status_code == 204
        assert http.get(f"{base_url}/_fake/requests").json() == []
    finally:
        stop()


def test_clients_and_fakes_import_no_django():
    """Static check of every import statement under apps/devices/clients and devkit/vendors."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    forbidden = ("django", "rest_framework", "dramatiq", "ninja")
    offenders = []
    for path in [
        *root.joinpath("apps/devices/clients").rglob("*.py"),
        *root.joinpath("devkit/vendors").rglob("*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in forbidden]
    assert offenders == []
