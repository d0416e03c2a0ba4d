"""Issue 15.4: the share PDF is drawn once per version of the scan and branding, stored, and drawn again
when either changes; anonymous downloads are rate-limited per address; a download that finds another
process drawing waits for its file or answers 503 with Retry-After. The drawing itself is replaced by a
counter here (test_logo_no_fetch.py draws real PDFs)."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from apps.common.lockout import SHARE_PDF_PER_ADDRESS
from apps.portal import pdf_cache
from apps.scans import services


@pytest.fixture
def draws(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    calls: list[str] = []

    def fake_report_pdf(request, scan, *, branding):
        calls.append(scan.pk)
        return f"%PDF-fake draw {len(calls)}".encode()

    monkeypatch.setattr(pdf_cache, "report_pdf", fake_report_pdf)
    return calls


@pytest.fixture
def share_url(completed_scan):
    services.scan_share(scan=completed_scan)
    completed_scan.refresh_from_db()
    return reverse("portal:share_pdf", args=[completed_scan.share_token])


def _stored(scan, language="nl") -> list[str]:
    folder = f"{pdf_cache.STORAGE_DIR}/{scan.pk}/{language}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_drawn_once_per_version_and_again_after_a_change(client, owner, completed_scan, share_url, draws):
    first = client.get(share_url)
    second = client.get(share_url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == b"%PDF-fake draw 1"
    assert len(draws) == 1 and len(_stored(completed_scan)) == 1

    organization = owner.organization
    organization.branding_enabled, organization.branding_color = True, "#123456"
    organization.save()
    assert client.get(share_url).content == b"%PDF-fake draw 2"  # branding changed

    completed_scan.report = {**completed_scan.report, "changed": True}
    completed_scan.save()
    assert client.get(share_url).content == b"%PDF-fake draw 3"  # the scan changed
    assert client.get(f"{share_url}?lang=en").content == b"%PDF-fake draw 4"  # another language
    assert client.get(f"{share_url}?lang=nl").content == b"%PDF-fake draw 3"  # each language is kept
    assert len(_stored(completed_scan)) == len(_stored(completed_scan, "en")) == 1  # older versions removed


def test_the_portal_download_shares_the_stored_file(
    owner, owner_client, completed_scan, share_url, client, draws
):
    client.get(share_url)
    response = owner_client.get(reverse("portal:scan_pdf", args=[completed_scan.pk]))
    assert response.status_code == 200
    assert len(draws) == 1


def test_anonymous_downloads_are_rate_limited_per_address(client, share_url, draws):
    for _ in range(SHARE_PDF_PER_ADDRESS.per_window):
        assert client.get(share_url).status_code == 200
    refused = client.get(share_url)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= SHARE_PDF_PER_ADDRESS.window_s
    assert client.get(share_url, REMOTE_ADDR="198.51.100.20").status_code == 200  # another address
    assert len(draws) == 1


def test_a_draw_in_progress_elsewhere_gives_503_with_retry_after(
    client, completed_scan, share_url, draws, monkeypatch
):
    from django.core.cache import cache
    from django.utils import translation

    from apps.reports.context import branding_for

    monkeypatch.setattr(pdf_cache, "WAIT_FOR_OTHER_S", 0.3)
    with translation.override("nl"):
        version = pdf_cache.pdf_version(completed_scan, branding_for(completed_scan.organization))
    cache.add(f"pdf-draw:{pdf_cache.STORAGE_DIR}/{completed_scan.pk}/nl/{version}.pdf", 1, timeout=60)
    response = client.get(share_url)  # another process holds the lock and never finishes
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert draws == []
