"""A job through a real Redis broker and a real worker process (CI runs this with DRAMATIQ_BROKER_URL=redis://)."""

import os
import subprocess
import sys
import time

import dramatiq
import pytest
from django.conf import settings
from django.db import connection

from apps.common.ids import new_token
from apps.common.jobs import health_ping
from apps.common.models import HealthPing
from tests.databases import database_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    if not settings.DRAMATIQ_BROKER_URL.startswith("redis://") or connection.vendor != "postgresql":
        pytest.skip("needs DRAMATIQ_BROKER_URL=redis://… and DATABASE_URL=postgres://…")
    dramatiq.get_broker().flush_all()  # messages left by earlier tests must not reach this worker
    env = {**os.environ, "DATABASE_URL": database_url()}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "1"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_health_ping_travels_through_redis_and_a_worker(worker):
    assert type(dramatiq.get_broker()).__name__ == "RedisBroker"
    token = new_token(16)
    health_ping.send(token)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not HealthPing.objects.filter(token=token).exists():
        time.sleep(0.25)
    assert HealthPing.objects.filter(token=token).exists(), "worker did not process the message in 60 s"
