"""Issue 17.1: with DEBUG off the fake vendors are never chosen by default. An unconfigured vendor then says
so (503 ``vendor_not_configured`` naming the settings to set), and the stand-ins of ``devkit`` are never
imported by a production process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys, django
django.setup()
from django.conf import settings
from django.utils import translation
from apps.devices import vendors
with translation.override("en"):
    try:
        vendors.vendor_config("enode")
        outcome = None
    except vendors.VendorNotConfigured as exc:
        outcome = [exc.status, exc.code, exc.detail]
with translation.override("nl"):
    try:
        vendors.vendor_config("pod")
        dutch = None
    except vendors.VendorNotConfigured as exc:
        dutch = exc.detail
print(json.dumps({
    "mode": settings.DEVICES_VENDOR_MODE,
    "outcome": outcome,
    "dutch": dutch,
    "devkit": sorted(m for m in sys.modules if m.split(".")[0] == "devkit"),
}))
"""


def _probe(tmp_path, **env_extra) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEVICES_", "ENODE_", "DEBUG"))
    }
    env.update(
        SECRET_KEY="a-production-secret-key-long-enough-for-the-probe-0123456789",
        SOLARSCAN_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
        DRAMATIQ_BROKER_URL="stub",
        **env_extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_off_defaults_to_live_and_an_unconfigured_vendor_says_so(tmp_path):
    seen = _probe(tmp_path, DEBUG="false")
    assert seen["mode"] == "live"
    status, code, detail = seen["outcome"]
    assert (status, code) == (503, "vendor_not_configured")
    # the four settings Enode cannot work without (apps.devices.vendors.VENDOR_SETTINGS), in that order
    assert detail == (
        "Enode is not configured on this server: set ENODE_API_URL, ENODE_TOKEN_URL, ENODE_CLIENT_ID, "
        "ENODE_CLIENT_SECRET."
    )
    assert seen["devkit"] == []  # production never loads the stand-ins
    # the portal shows the same sentence in Dutch (locale/nl), for POD's three required settings
    assert (
        seen["dutch"]
        == "POD is niet ingesteld op deze server: stel POD_API_URL, POD_CLIENT_ID, POD_CLIENT_SECRET in."
    )


def test_debug_on_defaults_to_the_stand_ins(tmp_path):
    seen = _probe(tmp_path, DEBUG="true")
    assert seen["mode"] == "fake" and seen["outcome"] is None and seen["dutch"] is None
    assert "devkit.vendors.embedded" in seen["devkit"]  # loaded by its dotted path, on first use only
