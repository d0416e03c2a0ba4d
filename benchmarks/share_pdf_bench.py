"""Share-PDF benchmark: the anonymous report download, first drawn, then from storage.

Run: ``.venv/bin/python benchmarks/share_pdf_bench.py [--repeats N]``

Uses a throw-away SQLite database and media folder. A scan of the README's example body is computed by the
embedded worker through the API, shared, and its PDF downloaded at ``/s/<token>/report.pdf``: the first
download draws it with WeasyPrint (timed once), the following ``--repeats`` are served from storage (median
and max). A branding change then makes the next download draw again (timed once).

Target (issues 15, 18, 19): a stored download ≤ 1 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["SOLARSCAN_DATA_DIR"] = tempfile.mkdtemp(prefix="solarscan-pdf-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from apps.organizations.services import api_key_create, organization_create  # noqa: E402

BODY = {
    "location": {"lat": 52.09, "lon": 5.12},
    "inputMethod": "known",
    "yearlyKwh": 3500,
    "newPv": [
        {"name": "zuid", "minPanelCount": 0, "maxPanelCount": 12, "panelPowerWatts": 430, "tiltAngle": 35,
         "orientationAngle": 180, "costPerKwp": 1100, "systemLosses": 14}
    ],
    "tariff": {"type": "flat", "flatEurPerKwh": 0.28, "feedInEurPerKwh": 0.05, "taxesIncluded": True},
    "goal": "cost-savings",
}  # fmt: skip


def _get_pdf(client: Client, url: str, address: str) -> float:
    start = time.perf_counter()
    response = client.get(url, REMOTE_ADDR=address)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)
    organization = organization_create(
        name="Bench", owner_email="bench@pdf.test", owner_password="bench-pw-123", plan="paid"
    )
    api = Client(HTTP_X_API_KEY=api_key_create(organization=organization, name="bench").raw_key)
    scan_id = api.post("/v1/scans", BODY, content_type="application/json").json()["id"]
    deadline = time.monotonic() + 300
    while (status := api.get(f"/v1/scans/{scan_id}/status").json()["status"]) == "processing":
        if time.monotonic() > deadline:
            raise SystemExit("the scan did not finish in 300 s")
        time.sleep(0.5)
    assert status == "completed", status
    token = api.post(f"/v1/scans/{scan_id}/share").json()["shareToken"]
    url = f"/s/{token}/report.pdf"

    home = Client()
    first = _get_pdf(home, url, "198.51.100.1")
    # Each download from its own address: the per-address rate limit is not what is measured.
    stored = [_get_pdf(home, url, f"198.51.100.{2 + n}") for n in range(args.repeats)]
    organization.branding_enabled, organization.branding_color = True, "#1d4ed8"
    organization.save()
    redrawn = _get_pdf(home, url, "198.51.100.250")

    print(f"first download (drawn):      {first * 1000:8.0f} ms")
    print(f"stored downloads (n={args.repeats}):    median {statistics.median(stored) * 1000:6.0f} ms, "
          f"max {max(stored) * 1000:6.0f} ms   (target <= 1000 ms)")  # fmt: skip
    print(f"after a branding change:     {redrawn * 1000:8.0f} ms (drawn again)")
    return 0 if max(stored) <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
