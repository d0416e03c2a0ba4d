"""The test database as a URL, for a worker process a test starts (scans and common worker tests)."""

from django.db import connection


def database_url() -> str:
    """The test database as a postgres:// URL."""
    params = connection.settings_dict
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    user = params.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{params['NAME']}"
