import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_embedded_settings_boot_with_no_environment(tmp_path):
    """`manage.py check` with an empty environment: SQLite, embedded broker, generated dev key."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SOLARSCAN_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _database_settings(tmp_path, **extra) -> tuple[str, str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SOLARSCAN_DATA_DIR": str(tmp_path / "data")}
    env.update(extra)
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return tuple(result.stdout.split())


def test_database_connections_persist_on_postgresql_only(tmp_path):
    """Issue 18: a PostgreSQL connection per request cost more than the API request itself; SQLite keeps
    opening per request (the embedded run's threads share the file)."""
    assert _database_settings(tmp_path) == ("0", "True")
    postgres = "postgres://solarscan@db.invalid:5432/solarscan"  # settings only: nothing connects
    assert _database_settings(tmp_path, DATABASE_URL=postgres) == ("60", "True")
    assert _database_settings(tmp_path, DATABASE_URL=postgres, DB_CONN_MAX_AGE="5") == ("5", "True")


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEBUG": "false",
        "SOLARSCAN_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_malformed_boolean_setting_is_an_error(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEBUG": "maybe",
        "SOLARSCAN_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_healthz_reports_database_and_broker(client, db):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_openapi_and_docs_are_served_offline(client, db):
    schema = client.get("/v1/openapi.json")
    assert schema.status_code == 200
    assert "/v1/dossiers" in schema.json()["paths"]
    docs = client.get("/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "swagger-ui" in html


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/v1/does-not-exist")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_createorg_prints_a_working_key(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from rest_framework.test import APIClient

    out = StringIO()
    call_command(
        "createorg",
        "Dak & Zon",
        "--owner",
        "eigenaar@dakzon.test",
        "--plan",
        "paid",
        "--api-key",
        stdout=out,
        stderr=StringIO(),
    )
    raw_key = out.getvalue().strip().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw_key)
    assert client.get("/v1/dossiers").status_code == 200
