"""The report PDF drawn once per version and kept in storage. Why: drawing takes 4–9 s of a web worker, and
six anonymous downloads of a share link in parallel stalled the site (issue 15).

The version is a digest of everything the PDF shows: the scan's report, inputs and finish time, the dossier's
last change, the organization's branding (including the logo's bytes), the language, and the report
templates and stylesheets themselves. A new version is drawn when any of these changes, and the files of
older versions of that scan in that language are removed. One process draws a version at a time (a lock in the shared cache);
the others wait for its file, and answer "busy" if it does not appear in time."""

from __future__ import annotations

import hashlib
import json
import time
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from apps.reports.pdf import report_css, report_pdf

STORAGE_DIR = "report-pdfs"
RENDER_LOCK_S = 120  # longest a draw may hold the lock [s] (a draw takes 4–9 s)
WAIT_FOR_OTHER_S = 15.0  # how long a request waits for another process's draw [s]
POLL_S = 0.25


class PdfBusy(Exception):
    """Another process is drawing this PDF and it did not finish within WAIT_FOR_OTHER_S."""


@lru_cache(maxsize=1)
def _layout_digest() -> str:
    """The report templates and stylesheets: a deploy that changes the layout makes new PDFs."""
    templates = sorted((Path(__file__).parent / "templates" / "portal" / "report").glob("*.html"))
    digest = hashlib.sha256()
    for path in templates:
        digest.update(path.read_bytes())
    digest.update(report_css().encode())
    return digest.hexdigest()


def _logo_digest(organization) -> str:
    logo = getattr(organization, "branding_logo", None)
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (OSError, ValueError):
        return "missing"


def pdf_version(scan, branding: dict | None) -> str:
    dossier = scan.dossier
    parts = {
        "scan": [scan.pk, scan.engine_version, scan.finished_at.isoformat() if scan.finished_at else None],
        "report": scan.report,
        "inputs": scan.inputs,
        "dossier": dossier.updated_at.isoformat() if dossier else None,
        "branding": branding,
        "logo": _logo_digest(scan.organization) if branding and branding.get("logo_url") else "",
        "language": translation.get_language(),
        "layout": _layout_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:40]


def _read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def _store(name: str, data: bytes) -> None:
    folder = name.rsplit("/", 1)[0]
    if default_storage.exists(folder):
        for old in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{old}")
    default_storage.save(name, ContentFile(data))


def cached_report_pdf(request, scan, *, branding: dict | None) -> bytes:
    """The report PDF of this version of the scan and branding: from storage, or drawn once and stored."""
    name = f"{STORAGE_DIR}/{scan.pk}/{translation.get_language()}/{pdf_version(scan, branding)}.pdf"
    if (data := _read(name)) is not None:
        return data
    lock = f"pdf-draw:{name}"
    if cache.add(lock, 1, timeout=RENDER_LOCK_S):
        try:
            data = report_pdf(request, scan, branding=branding)
            _store(name, data)
        finally:
            cache.delete(lock)
        return data
    deadline = time.monotonic() + WAIT_FOR_OTHER_S
    while time.monotonic() < deadline:
        time.sleep(POLL_S)
        if (data := _read(name)) is not None:
            return data
    raise PdfBusy(name)
