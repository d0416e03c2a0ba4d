"""Helpers of the scans tests that run a worker: the database URL to hand it, and polling until done."""

import time

from django.db import connection


def database_url() -> str:
    """The test database as a postgres:// URL, for a worker process started by the test."""
    params = connection.settings_dict
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    user = params.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{params['NAME']}"


def wait_until(predicate, timeout_s: float) -> bool:
    """Poll ``predicate`` every 50 ms until it holds or ``timeout_s`` passed; its last answer."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
