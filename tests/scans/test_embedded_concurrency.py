"""The embedded run (SQLite file, in-process worker) under concurrent use: the issue measured 12 of 16
simultaneous POST /v1/scans answering 500 "database is locked". Here the real server runs as a subprocess on
the embedded defaults (no DATABASE_URL, no DRAMATIQ_BROKER_URL) with its own SQLite file."""

import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from django.conf import settings

from .conftest import MINIMAL_BODY

POSTS = 16


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env, *args, timeout=300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture
def embedded_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DRAMATIQ_BROKER_URL")}
    env.update({"SOLARSCAN_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1", "CACHE_URL": ""})
    _manage(env, "migrate", "--noinput", "-v0")
    key = _manage(env, "createorg", "Race BV", "--owner", "race@zon.test", "--plan", "paid", "--api-key")
    port = _free_port()
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/healthz", timeout=2)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    try:
        yield base, key.strip().splitlines()[-1]
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_sixteen_simultaneous_posts_all_succeed_and_complete(embedded_server):
    base, key = embedded_server
    headers = {"x-api-key": key}
    barrier = threading.Barrier(POSTS)
    answers: list = [None] * POSTS

    def post(i):
        barrier.wait()
        try:
            answers[i] = httpx.post(f"{base}/v1/scans", json=MINIMAL_BODY, headers=headers, timeout=120)
        except httpx.HTTPError as exc:
            answers[i] = exc

    started = time.monotonic()
    threads = [threading.Thread(target=post, args=(i,)) for i in range(POSTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    posted_s = time.monotonic() - started
    statuses = [getattr(a, "status_code", repr(a)) for a in answers]
    assert statuses == [201] * POSTS, [getattr(a, "text", a) for a in answers]

    ids = {a.json()["id"] for a in answers}
    assert len(ids) == POSTS
    deadline = time.monotonic() + 600
    states = {}
    while time.monotonic() < deadline:
        states = {i: httpx.get(f"{base}/v1/scans/{i}/status", headers=headers).json()["status"] for i in ids}
        if all(s != "processing" for s in states.values()):
            break
        time.sleep(1)
    done_s = time.monotonic() - started
    assert sorted(states.values()) == ["completed"] * POSTS, states
    print(f"{POSTS} simultaneous posts: all 201 in {posted_s:.1f} s, all completed in {done_s:.1f} s")
