"""Access logs keep working with the secret mask on; /healthz pings whatever broker is configured; every
periodic interval comes from settings."""

import io
import logging

import dramatiq
import pytest
from dramatiq.brokers.redis import RedisBroker

from apps.devices.clients.http import RedactSecretsFilter

# gunicorn's default access_log_format, and the atoms dict it passes as the record's only argument
GUNICORN_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'


def test_gunicorn_access_record_is_logged_with_secrets_masked():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("gunicorn.access")  # the devices app installs the mask on it
    assert any(isinstance(f, RedactSecretsFilter) for f in logger.filters)
    logger.addHandler(handler)
    errors = io.StringIO()
    handler.handleError = lambda record: errors.write("broken record")  # what logging does on a bad record
    try:
        atoms = {
            "h": "10.0.0.7", "l": "-", "u": "-", "t": "[30/Nov/2026:20:00:00 +0000]",
            "r": "GET /hooks/enphase/callback?code=s3cr3t-code&state=abc HTTP/1.1",
            "s": "302", "b": "0", "f": "-", "a": "Mozilla/5.0",
        }  # fmt: skip
        logger.warning(GUNICORN_FORMAT, atoms)
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue()
    assert errors.getvalue() == ""
    assert line.startswith(
        '10.0.0.7 - - [30/Nov/2026:20:00:00 +0000] "GET /hooks/enphase/callback?code=***&state'
    )
    assert "s3cr3t-code" not in line and '" 302 0 "-"' in line


def test_healthz_pings_a_redis_broker_that_is_down(client, db, monkeypatch):
    monkeypatch.setattr(dramatiq, "get_broker", lambda: RedisBroker(url="redis://127.0.0.1:1/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == {
        "ok": False, "broker": "RedisBroker", "error": "ConnectionError", "outboxPending": 0,
    }  # fmt: skip


def test_healthz_pings_a_rabbitmq_broker(client, db, monkeypatch):
    class RabbitmqBroker:  # the shape of dramatiq's RabbitmqBroker: `connection` opens a pika connection
        @property
        def connection(self):
            raise ConnectionRefusedError("amqp://127.0.0.1:5672 refused")

    monkeypatch.setattr(dramatiq, "get_broker", RabbitmqBroker)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"]["error"] == "ConnectionRefusedError"


@pytest.mark.parametrize(
    "middleware,setting",
    [
        ("apps.scans.periodic.PeriodicSweep", "SCAN_SWEEP_INTERVAL_S"),
        ("apps.devices.periodic.PeriodicRefresh", "DEVICES_REFRESH_INTERVAL_S"),
        ("apps.common.periodic.PeriodicOutboxRelay", "OUTBOX_RELAY_INTERVAL_S"),
    ],
)
def test_every_interval_is_a_setting(middleware, setting, settings):
    from django.conf import settings as django_settings
    from django.utils.module_loading import import_string

    assert import_string(middleware).interval_setting == setting and hasattr(django_settings, setting)


def test_device_refresh_job_reads_the_same_setting(settings):
    from apps.devices.jobs import refresh_interval

    settings.DEVICES_REFRESH_INTERVAL_S = 120.0
    assert refresh_interval().total_seconds() == 120.0
