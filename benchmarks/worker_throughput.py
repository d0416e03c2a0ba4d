"""Scan throughput of one worker process through the real broker: scans per hour, dynamic and flat tariffs.

Run: ``.venv/bin/python benchmarks/worker_throughput.py [--scans N] [--tariff dynamic|flat|both]``

Needs PostgreSQL at 127.0.0.1:5432 (trust auth) and Redis at 127.0.0.1:6379, as on the CI machine. The
benchmark creates a throw-away database ``bench_worker`` (dropped first if it exists) and uses Redis
database 14 (flushed). One ``rundramatiq --processes 1 --threads 1`` worker runs as its own process; the
scans are posted through the API (``POST /v1/scans``, the README's example household with the chosen
tariff), so each one goes through validation, the outbox, the broker, the worker's claim, the engine and
the stored report. The first scan warms the weather cache and is not counted, as in production where the
weather of a location is stored once.

Throughput = (N - 1) / (last finished - first finished) over the N timed scans (their ``finished_at``), so
the time to post them is not counted against the worker. Also printed: the worker's CPU seconds per scan.

Target (issue 18): ≥ 12,000 dynamic-tariff scans per hour per worker process on the 2-core CI machine.
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "bench_worker"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
os.environ["DRAMATIQ_BROKER_URL"] = "redis://127.0.0.1:6379/14"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BODY = {
    "location": {"lat": 52.09, "lon": 5.12},
    "inputMethod": "known",
    "yearlyKwh": 3500,
    "newPv": [
        {
            "name": "south",
            "minPanelCount": 0,
            "maxPanelCount": 12,
            "panelPowerWatts": 430,
            "tiltAngle": 35,
            "orientationAngle": 180,
        }
    ],
    "electricBattery": {"minCapacityKwh": 0, "capacityKwh": 10, "minPowerRatingKw": 0, "powerRatingKw": 5},
    "goal": "cost-savings",
}
TARIFFS = {
    "flat": {"type": "flat", "flatEurPerKwh": 0.28, "feedInEurPerKwh": 0.1, "taxesIncluded": True},
    "dynamic": {"type": "dynamic"},
}


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")


def _worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "1"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the worker process and its children (dramatiq forks the worker) [s]."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for task in [pid, *_children(pid)]:
        fields = Path(f"/proc/{task}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == pid:
                found += [int(entry.name), *_children(int(entry.name))]
    return found


def _wait_for(ids: list[str], timeout: float) -> None:
    from apps.scans.models import Scan

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = Scan.objects.filter(pk__in=ids).exclude(status__in=["completed", "error"]).count()
        if pending == 0:
            failed = list(
                Scan.objects.filter(pk__in=ids, status="error").values_list("error_message", flat=True)
            )
            if failed:
                raise SystemExit(f"{len(failed)} scans failed, e.g.: {failed[0]}")
            return
        time.sleep(0.2)
    raise SystemExit(f"scans not finished within {timeout:.0f} s")


def measure(client, tariff: str, scans: int, worker_pid: int) -> dict:
    from apps.scans.models import Scan

    body = copy.deepcopy(BODY) | {"tariff": TARIFFS[tariff]}
    warm = client.post("/v1/scans", body, format="json").json()["id"]
    _wait_for([warm], 300)
    cpu_before = _cpu_seconds(worker_pid)
    ids = []
    for _ in range(scans):
        response = client.post("/v1/scans", body, format="json")
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    _wait_for(ids, 60 + 5 * scans)
    cpu = _cpu_seconds(worker_pid) - cpu_before
    finished = sorted(Scan.objects.filter(pk__in=ids).values_list("finished_at", flat=True))
    span = (finished[-1] - finished[0]).total_seconds()
    return {
        "tariff": tariff,
        "scans": scans,
        "per_hour": 3600 * (scans - 1) / span,
        "cpu_s_per_scan": cpu / scans,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=120)
    parser.add_argument("--tariff", choices=["dynamic", "flat", "both"], default="both")
    args = parser.parse_args()
    _recreate_database()

    import django

    django.setup()
    import dramatiq
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from apps.organizations.models import Organization
    from apps.organizations.services import api_key_create, organization_create

    call_command("migrate", verbosity=0)
    dramatiq.get_broker().flush_all()
    organization = organization_create(name="Bench BV", owner_email="bench@zon.test", plan="paid")
    Organization.objects.filter(pk=organization.pk).update(monthly_scan_quota=1_000_000)
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=api_key_create(organization=organization, name="bench").raw_key)
    worker = _worker()
    try:
        tariffs = ["dynamic", "flat"] if args.tariff == "both" else [args.tariff]
        print(f"one worker process, {os.cpu_count()} cores, {args.scans} scans per tariff (+1 warm-up)")
        for tariff in tariffs:
            row = measure(client, tariff, args.scans, worker.pid)
            print(
                f"{row['tariff']:8s} {row['per_hour']:8.0f} scans/h  "
                f"{row['cpu_s_per_scan']:.3f} CPU-s/scan (worker)"
            )
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
