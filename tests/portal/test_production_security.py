"""Issue 15.5/15.6: with the documented production settings `manage.py check --deploy` is clean; HSTS, Secure
cookies, the SSL redirect and the proxy header follow the environment; every page carries a
Content-Security-Policy without inline script, and the portal's pages contain none; fake device vendors with
DEBUG off fail the deploy check unless explicitly allowed (and are never the default there)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from apps.scans import services
from tests.portal.helpers import LIST_PAGES

ROOT = Path(__file__).resolve().parents[2]

# The README's "Production" environment (the broker is the stub: a check opens no connection either way).
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!" + "k9Qz2Lm4Vb8Np1Rt6Ws3Yh5Jd0Fg7" * 2,
    "ALLOWED_HOSTS": "solarscan.example",
    "DRAMATIQ_BROKER_URL": "stub",
    "DEVICES_VENDOR_MODE": "live",
    "DEVICE_TOKEN_KEY": "a-long-production-passphrase-for-vendor-tokens",
}


def _run(args: list[str], tmp_path, **extra) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "DEVICES_", "DEBUG"))
    }
    env.update(PRODUCTION_ENV, SOLARSCAN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings")
    env.update(extra)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_fake_vendors_fail_the_deploy_check_unless_allowed(tmp_path):
    refused = _run(["manage.py", "check", "--deploy"], tmp_path, DEVICES_VENDOR_MODE="fake")
    assert refused.returncode != 0 and "devices.E001" in refused.stderr + refused.stdout
    default = _run(["manage.py", "check", "--deploy"], tmp_path, DEVICES_VENDOR_MODE="")
    # with DEBUG off the default is live (issue 17.1): nothing fake to refuse
    assert default.returncode == 0 and "devices.E001" not in default.stderr + default.stdout
    allowed = _run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        DEVICES_VENDOR_MODE="fake",
        DEVICES_ALLOW_FAKE_VENDORS="true",
    )
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="solarscan.example")
plain = client.get("/v1/openapi.json")
proxied = client.get("/v1/openapi.json", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security"),
                proxied.get("Content-Security-Policy")],
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def test_behind_a_proxy_https_is_enforced_with_hsts_and_secure_cookies(tmp_path):
    result = _run(["-c", HEADERS_SCRIPT], tmp_path, SECURE_PROXY_SSL_HEADER="true")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://solarscan.example/v1/openapi.json"]
    status, hsts, csp = seen["proxied"]
    assert status == 200
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in csp
    assert seen["cookies"] == [True, True]


def test_the_redirect_can_be_left_to_the_proxy(tmp_path):
    result = _run(["-c", HEADERS_SCRIPT], tmp_path, SECURE_SSL_REDIRECT="false")
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"][0] == 200


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def _assert_strict(response, url):
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script.strip() == "'self'", (url, policy)
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not _INLINE_SCRIPT.search(html), url
        assert not _STYLE_ELEMENT.search(html), url


@pytest.mark.django_db
def test_every_page_has_a_csp_and_no_inline_script(client, owner_client, completed_scan):
    services.scan_share(scan=completed_scan)
    completed_scan.refresh_from_db()
    anonymous = [reverse("portal:login"), reverse("portal:password_reset"), "/admin/login/"]
    anonymous += [reverse("portal:share", args=[completed_scan.share_token]), "/v1/openapi.json"]
    for url in anonymous:
        _assert_strict(client.get(url), url)
    signed_in = [reverse(name) for name in LIST_PAGES]
    signed_in += [reverse("portal:scan_detail", args=[completed_scan.pk]), "/studio/"]
    for url in signed_in:
        response = owner_client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response, url)
    docs = client.get("/v1/docs")
    assert not _INLINE_SCRIPT.search(docs.content.decode())
