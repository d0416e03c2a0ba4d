"""Meter-file upload benchmark: the whole web request for a 10^6-line file, as an integrator sends it.

Run: ``.venv/bin/python benchmarks/upload_request_bench.py [--repeats N]``

Uses a throw-away SQLite database. A 10^6-line generic CSV of one-minute readings (~1.9 years, 29 MB, from
``devkit.meterfiles``) is posted to ``POST /v1/studio-profiles/{id}/base/upload`` through Django's test
client (multipart decoding, API-key authentication, parsing, the stored 8760-hour profile, the JSON answer);
each repeat to a new profile. Prints the median and max request time and the parse time alone.

Target (issue 18): the request returns within 2 s, the parse within 3 s.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["SOLARSCAN_DATA_DIR"] = tempfile.mkdtemp(prefix="solarscan-upload-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from apps.organizations.services import api_key_create, organization_create  # noqa: E402
from apps.studio.meterfiles import parse_meter_file  # noqa: E402
from devkit.meterfiles import generic_csv, synthetic_data  # noqa: E402

REQUEST_TARGET_S = 2.0


def _upload(api: Client, content: bytes) -> float:
    profile = api.post("/v1/studio-profiles", {}, content_type="application/json").json()["id"]
    file = io.BytesIO(content)
    file.name = "minutes.csv"
    start = time.perf_counter()
    response = api.post(f"/v1/studio-profiles/{profile}/base/upload", {"file": file})
    elapsed = time.perf_counter() - start
    assert response.status_code == 201, response.content[:300]
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    organization = organization_create(name="Bench", owner_email="bench@upload.test", plan="paid")
    api = Client(HTTP_X_API_KEY=api_key_create(organization=organization, name="bench").raw_key)
    content = generic_csv(synthetic_data("2024-02-07", "2026-01-01", step_min=1, seed=5))
    lines = content.count(b"\n")
    print(f"{lines:,} lines, {len(content) / 1e6:.1f} MB")
    _upload(api, content)  # warm-up: imports, time-zone data
    requests = [_upload(api, content) for _ in range(args.repeats)]
    parses = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        parse_meter_file(content, "minutes.csv")
        parses.append(time.perf_counter() - start)
    print(f"upload request: median {statistics.median(requests):.2f} s, max {max(requests):.2f} s"
          f"   (target <= {REQUEST_TARGET_S} s)")  # fmt: skip
    print(
        f"parse alone:    median {statistics.median(parses):.2f} s, max {max(parses):.2f} s   (target <= 3 s)"
    )
    return 0 if statistics.median(requests) <= REQUEST_TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
