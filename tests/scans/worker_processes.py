"""The scans tests' own broker and worker processes: a private redis-server, a `rundramatiq` worker on it and
the test database, and the fixture that points this process's actors at that Redis (imported into the
scans conftest)."""

import os
import socket
import subprocess
import sys
import time

import dramatiq
import pytest
from django.conf import settings
from django.db import connection
from dramatiq.brokers.redis import RedisBroker

from tests.databases import database_url


def _free_redis_port() -> int:
    for port in range(6391, 6400):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 6391-6399 for the test's own Redis")


class OwnRedis:
    def __init__(self, port: int, directory):
        self.port, self.directory, self.process = port, directory, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("own redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def spawn_worker(redis: OwnRedis, threads: int = 2, **extra_env) -> subprocess.Popen:
    """A `rundramatiq` worker (all queues) on the test's own Redis and the test database; its own process
    group, so a test can kill -9 all of it."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DRAMATIQ_BROKER_URL": redis.url,
           "OUTBOX_RELAY_INTERVAL_S": "1", **extra_env,
           # the webhook receiver is on 127.0.0.1: local-development mode of the target check
           "WEBHOOK_ALLOW_HTTP": "true", "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", str(threads)],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def own_redis(tmp_path):
    """The test's own Redis, and this process's actors sending to it (restored afterwards)."""
    if not settings.DRAMATIQ_BROKER_URL.startswith("redis://") or connection.vendor != "postgresql":
        pytest.skip("needs DRAMATIQ_BROKER_URL=redis://… and DATABASE_URL=postgres://…")
    redis = OwnRedis(_free_redis_port(), tmp_path)
    redis.start()
    old = dramatiq.get_broker()
    new = RedisBroker(url=redis.url)
    for actor in old.actors.values():
        actor.broker = new
        new.declare_actor(actor)
    dramatiq.set_broker(new)
    try:
        yield redis
    finally:
        redis.stop()
        for actor in old.actors.values():
            actor.broker = old
        dramatiq.set_broker(old)
