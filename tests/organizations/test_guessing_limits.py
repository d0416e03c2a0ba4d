"""Issue 15.3: failed logins are limited per account and per address on /login/ and /v1/auth/token, failed API
keys per address; a lockout answers 429 with Retry-After, is logged, and ends after its window, when the
right credential works again. The limits are apps.common.lockout's named constants."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from apps.common.lockout import API_KEY_PER_ADDRESS, LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS

pytestmark = pytest.mark.django_db

OWNER = ("owner@zon.test", "pw-owner-123")  # tests/conftest.py's owner


def _portal(client: Client, email: str, password: str):
    return client.post(reverse("portal:login"), {"username": email, "password": password})


def _token(client: APIClient, email: str, password: str):
    return client.post("/v1/auth/token", {"email": email, "password": password}, format="json")


def _later(monkeypatch, seconds: float) -> None:
    """Move the clock on (the cache's expiry and the lockout both read time.time)."""
    now = time.time() + seconds
    monkeypatch.setattr(time, "time", lambda: now)


@pytest.mark.parametrize("attempt", [_portal, _token], ids=["portal", "token"])
def test_account_lockout_then_the_right_password_works_after_the_window(owner, monkeypatch, caplog, attempt):
    client = Client() if attempt is _portal else APIClient()
    for _ in range(LOGIN_PER_ACCOUNT.max_failures):
        assert attempt(client, OWNER[0], "wrong").status_code in (200, 401)
    locked = attempt(client, *OWNER)
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= LOGIN_PER_ACCOUNT.window_s + 1
    assert "locked out login-account" in caplog.text

    _later(monkeypatch, LOGIN_PER_ACCOUNT.window_s + 1)
    assert attempt(client, *OWNER).status_code in (200, 302)


def test_account_failures_count_across_portal_and_api(owner):
    half = LOGIN_PER_ACCOUNT.max_failures // 2
    for _ in range(half):
        _portal(Client(), OWNER[0], "wrong")
    for _ in range(LOGIN_PER_ACCOUNT.max_failures - half):
        _token(APIClient(), OWNER[0], "wrong")
    assert _portal(Client(), *OWNER).status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(owner):
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    for n in range(LOGIN_PER_ADDRESS.max_failures):
        assert _token(client, f"user{n}@guess.test", "wrong").status_code == 401
    assert _token(client, *OWNER).status_code == 429
    assert _token(APIClient(REMOTE_ADDR="198.51.100.8"), *OWNER).status_code == 200  # another address


def test_the_locked_out_page_does_not_try_the_password(owner):
    client = Client()
    for _ in range(LOGIN_PER_ACCOUNT.max_failures):
        _portal(client, OWNER[0], "wrong")
    response = _portal(client, *OWNER)
    assert response.status_code == 429
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_api_keys_are_limited_per_address(owner, monkeypatch, caplog):
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    for n in range(API_KEY_PER_ADDRESS.max_failures):
        guesser.credentials(HTTP_X_API_KEY=f"ssk_guess{n:04d}_wrongsecret")
        assert guesser.get("/v1/dossiers").status_code == 401
    guesser.credentials(HTTP_X_API_KEY=owner.api_key)
    locked = guesser.get("/v1/dossiers")
    assert locked.status_code == 429
    assert "locked out apikey-address" in caplog.text
    assert 0 < int(locked["Retry-After"]) <= API_KEY_PER_ADDRESS.window_s + 1
    assert owner.key_client().get("/v1/dossiers").status_code == 200  # other addresses are not affected

    _later(monkeypatch, API_KEY_PER_ADDRESS.window_s + 1)
    assert guesser.get("/v1/dossiers").status_code == 200
