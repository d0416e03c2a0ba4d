"""API load benchmark: `GET /v1/scans` (a page of 20) and `GET /v1/scans/:id` under gunicorn on PostgreSQL.

Run: ``.venv/bin/python benchmarks/api_bench.py [--baseline PATH] [--rounds N] [--seconds S]``

Production-like (README "Production"): DEBUG off, PostgreSQL (``--db``, created if missing, on
127.0.0.1:5432 with trust auth), Redis as the shared cache (``--redis``), ``gunicorn config.wsgi --workers 3``
(sync), each request authenticated with an organization's API key. The database is seeded once with an
organization of 200 completed scans (one real engine run, its report copied; 10 of them adjustments of the
first) so every list page and every detail read looks like production's.

``--baseline PATH`` is a second checkout of the code before the change (e.g. ``git worktree add --detach
/tmp/base <commit>``). Both checkouts are served side by side on their own ports with the same environment,
and every measurement alternates between them in each round, so machine noise falls on both alike.

The load generator is local and bounded: plain ``http.client`` in threads, one connection per request (the
sync workers close it). Two measurements per endpoint and checkout:
  * saturation: ``--concurrency`` clients each sending back to back for ``--seconds``: completed requests/s;
  * fixed rate: requests started on a fixed schedule of ``--rate`` per second for ``--seconds``, at most
    ``--max-in-flight`` open at once (a request that finds no free slot waits for one; its latency counts
    from its scheduled start, so a saturated server shows its queueing); p50 and p99 latency.
Every response must be a 200, or the run fails.

Bars (issue 18): each endpoint ≥ 150 req/s saturated, p99 < 100 ms at 100 req/s, ≥ 3× the baseline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANS = 200  # scans seeded: ten list pages of 20
ADJUSTMENTS = 10  # of them copies (adjustments) of the first, so adjustmentCount is not always 0
BODY = {
    "location": {"lat": 52.09, "lon": 5.12},
    "inputMethod": "known",
    "yearlyKwh": 3500,
    "newPv": [
        {"name": "zuid", "minPanelCount": 0, "maxPanelCount": 12, "panelPowerWatts": 430, "tiltAngle": 35,
         "orientationAngle": 180, "costPerKwp": 1100, "systemLosses": 14}
    ],
    "electricBattery": {"capacityKwh": 10, "powerRatingKw": 5},
    "tariff": {"type": "flat", "flatEurPerKwh": 0.28, "feedInEurPerKwh": 0.05, "taxesIncluded": True},
    "goal": "self-sufficiency",
}  # fmt: skip


def server_env(db: str, redis: str) -> dict[str, str]:
    """The production environment of README "Production", local: the same for both checkouts."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DB_CONN_MAX_AGE")}
    env.update(
        DEBUG="false",
        SECRET_KEY="api-bench-" + "x" * 40,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        CACHE_URL=redis,
        DRAMATIQ_BROKER_URL="stub",  # nothing is enqueued by GETs; no broker process needed
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DEVICES_VENDOR_MODE="live",
        LOG_LEVEL="WARNING",
    )
    return env


# --- seeding (runs in a child process with Django set up) ------------------------------------------------


def seed() -> None:
    """Create the benchmark organization once; print {"key", "scanId"} as JSON (a fresh key every run)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from apps.organizations.models import Organization
    from apps.organizations.services import api_key_create, organization_create
    from apps.scans import services
    from apps.scans.api.submission import scan_submit
    from apps.scans.models import Scan

    call_command("migrate", verbosity=0)
    organization = Organization.objects.filter(name="API bench").first()
    if organization is None:
        organization = organization_create(
            name="API bench", owner_email="bench@api.test", owner_password="bench-pw-123", plan="paid"
        )
        with transaction.atomic():
            first = scan_submit(organization=organization, data=_snake(BODY)).scan
        assert services.scan_run(scan_id=first.id) == "completed"
        first.refresh_from_db()
        copies = []
        for n in range(SCANS - 1):
            copy = Scan(
                organization=organization,
                copied_from=first if n < ADJUSTMENTS else None,
                counts_toward_quota=n >= ADJUSTMENTS,
                **{
                    f.name: getattr(first, f.name)
                    for f in Scan._meta.concrete_fields
                    if f.name
                    not in ("id", "organization", "copied_from", "counts_toward_quota", "created_at")
                },
            )
            copies.append(copy)
        Scan.objects.bulk_create(copies)
        with connection.cursor() as cursor:  # planner statistics, as autovacuum would have them by now
            cursor.execute("ANALYZE")
    scan = Scan.objects.filter(organization=organization, copied_from=None).order_by("created_at").first()
    key = api_key_create(organization=organization, name="bench").raw_key
    print(json.dumps({"key": key, "scanId": scan.id, "total": organization.scans.count()}))


def _snake(value):
    if isinstance(value, dict):
        return {
            "".join("_" + c.lower() if c.isupper() else c for c in k): _snake(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_snake(v) for v in value]
    return value


# --- servers ----------------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    checkout: Path
    port: int
    process: subprocess.Popen | None = None

    def start(self, env: dict[str, str], workers: int) -> None:
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--chdir",
                str(self.checkout),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            cwd=self.checkout,
            env=env,
        )

    def worker_cpu_s(self) -> float:
        """CPU seconds used so far by the gunicorn workers (user + system), read from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def _get(port: int, path: str, key: str, timeout: float = 10.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"x-api-key": key, "Accept-Language": "en"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_ready(port: int, key: str, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(port, path, key)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not answer 200 on {path} within 60 s")


# --- load -------------------------------------------------------------------------------------------------


class Failures(Exception):
    pass


def saturate(port: int, path: str, key: str, seconds: float, concurrency: int) -> float:
    """Completed requests per second with `concurrency` clients sending back to back."""
    stop_at = time.monotonic() + seconds
    done = [0] * concurrency
    bad: list[int] = []

    def client(slot: int) -> None:
        while time.monotonic() < stop_at:
            status, _ = _get(port, path, key)
            if status != 200:
                bad.append(status)
                return
            done[slot] += 1

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if bad:
        raise Failures(f"{path}: status {bad[0]}")
    return sum(done) / (time.monotonic() - start)


def fixed_rate(
    port: int, path: str, key: str, seconds: float, rate: float, max_in_flight: int
) -> list[float]:
    """Latencies [s] of requests scheduled at `rate`/s, each counted from its scheduled start."""
    slots = threading.BoundedSemaphore(max_in_flight)
    latencies: list[float] = []
    bad: list[int] = []
    threads = []

    def one(scheduled: float) -> None:
        try:
            status, _ = _get(port, path, key, timeout=30)
            latencies.append(time.monotonic() - scheduled)
            if status != 200:
                bad.append(status)
        finally:
            slots.release()

    start = time.monotonic()
    for n in range(int(seconds * rate)):
        scheduled = start + n / rate
        delay = scheduled - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        slots.acquire()
        thread = threading.Thread(target=one, args=(scheduled,))
        thread.start()
        threads.append(thread)
    for t in threads:
        t.join()
    if bad:
        raise Failures(f"{path}: status {bad[0]}")
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="checkout of the code before the change")
    parser.add_argument("--db", default="bench_api")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--max-in-flight", type=int, default=64)
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()

    env = server_env(args.db, args.redis)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], capture_output=True)
    seeded = subprocess.run(
        [sys.executable, __file__, "--seed"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if seeded.returncode:
        raise SystemExit(seeded.stderr)
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    key = data["key"]
    paths = {"list": "/v1/scans?page=2&limit=20", "detail": f"/v1/scans/{data['scanId']}"}

    targets = [Target("after", ROOT, args.port)]
    if args.baseline:
        targets.insert(0, Target("before", args.baseline.resolve(), args.port + 1))
    try:
        for target in targets:
            target.start(env, args.workers)
        for target in targets:
            for path in paths.values():
                wait_ready(target.port, key, path)
        for target in targets[1:]:
            for name, path in paths.items():
                if _get(target.port, path, key)[1] != _get(targets[0].port, path, key)[1]:
                    print(f"NOTE: {name} body differs between {targets[0].name} and {target.name}")
        results = {(t.name, name): {"rps": [], "lat": [], "cpu": []} for t in targets for name in paths}
        for round_no in range(args.rounds):
            for name, path in paths.items():
                for target in targets if round_no % 2 == 0 else targets[::-1]:
                    for _ in range(args.concurrency):  # warm every worker's caches
                        _get(target.port, path, key)
                    cpu_before = target.worker_cpu_s()
                    rps = saturate(target.port, path, key, args.seconds, args.concurrency)
                    cpu_ms = (target.worker_cpu_s() - cpu_before) * 1000 / (rps * args.seconds)
                    lat = fixed_rate(target.port, path, key, args.seconds, args.rate, args.max_in_flight)
                    results[(target.name, name)]["rps"].append(rps)
                    results[(target.name, name)]["cpu"].append(cpu_ms)
                    results[(target.name, name)]["lat"].extend(lat)
                    print(
                        f"round {round_no + 1} {name:6} {target.name:6} {rps:7.1f} req/s saturated "
                        f"({cpu_ms:.1f} ms worker CPU/request); "
                        f"at {args.rate:.0f} req/s p50 {percentile(lat, 0.5) * 1000:7.1f} ms "
                        f"p99 {percentile(lat, 0.99) * 1000:7.1f} ms",
                        flush=True,
                    )
    finally:
        for target in targets:
            target.stop()

    print(
        f"\n{len(os.sched_getaffinity(0))} cores, gunicorn {args.workers} sync workers, {data['total']} scans, "
        f"{args.rounds} rounds x {args.seconds:.0f} s, {args.concurrency} clients saturated, "
        f"{args.rate:.0f} req/s fixed rate"
    )
    print(
        "| endpoint | checkout | saturated req/s (median) | worker CPU/request | p50 at rate | p99 at rate |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for (target, name), r in results.items():
        print(
            f"| {name} | {target} | {statistics.median(r['rps']):.1f} | {statistics.median(r['cpu']):.1f} ms | "
            f"{percentile(r['lat'], 0.5) * 1000:.1f} ms | {percentile(r['lat'], 0.99) * 1000:.1f} ms |"
        )
    if args.baseline:
        for name in paths:
            ratio = statistics.median(results[("after", name)]["rps"]) / statistics.median(
                results[("before", name)]["rps"]
            )
            print(f"{name}: {ratio:.1f}x the baseline's saturated throughput")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--seed"]:
        seed()
    else:
        sys.exit(main())
