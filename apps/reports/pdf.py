"""Every PDF of the product (the report, the accepted proposal): report templates with the print layout,
drawn by WeasyPrint (offline: fonts from the system, charts are inline SVG, the logo is read from storage as
a sanitised data URI).

WeasyPrint follows every link in the document and in embedded SVG; `ProductUrlFetcher` answers only inline
data and the product's own static and media files, read from disk, and refuses everything else, so a tenant's
content can never make the server send a request or read an arbitrary local file (issue 15)."""

from __future__ import annotations

import base64
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join

from apps.organizations.logos import UnsafeLogo, sanitised_svg
from apps.reports.context import report_context

logger = logging.getLogger(__name__)

PDF_STYLESHEETS = ("css/solarscan.css", "css/report.css")
# Relative links in the report resolve against this base; ".invalid" is reserved (RFC 2606), never resolves.
PDF_BASE_URL = "https://solarscan.invalid/"


def _css(name: str) -> str:
    """A stylesheet's text, inlined so WeasyPrint never fetches from the (possibly busy) web server."""
    path = finders.find(name)
    return Path(path).read_text(encoding="utf-8") if path else ""


def _own_file(url: str) -> str | None:
    """The disk path of a product static or media file named by `url`, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != PDF_BASE_URL:
        return None
    path = unquote(parts.path)
    try:
        if path.startswith(settings.STATIC_URL):
            return finders.find(path.removeprefix(settings.STATIC_URL))
        if path.startswith(settings.MEDIA_URL):
            return safe_join(str(settings.MEDIA_ROOT), path.removeprefix(settings.MEDIA_URL))
    except (SuspiciousFileOperation, ValueError):  # a path escaping the roots is refused
        return None
    return None


def url_fetcher():
    """WeasyPrint's fetcher restricted to data URIs and the product's own files (built lazily: weasyprint
    is imported only when a PDF is drawn)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProductUrlFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            path = _own_file(url)
            if path and Path(path).is_file():
                mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": mime})
            logger.warning("PDF renderer refused to fetch %s", url[:200])
            raise ValueError("Only the product's own files are fetched.")

    return ProductUrlFetcher(allowed_protocols=("data", "https"), allow_redirects=False)


def logo_data_uri(organization) -> str | None:
    logo = getattr(organization, "branding_logo", None)
    if not logo:
        return None
    try:
        with logo.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    mime = mimetypes.guess_type(logo.name)[0] or "image/png"
    if mime == "image/svg+xml":
        try:
            data = sanitised_svg(data)  # logos stored before sanitising on upload existed
        except UnsafeLogo:
            return None
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def report_css() -> str:
    """The PDF stylesheets' text, to inline in the page."""
    return "\n".join(_css(name) for name in PDF_STYLESHEETS)


def render_pdf(template: str, context: dict, *, organization, branding: dict | None, request=None) -> bytes:
    """A report-styled PDF of `template`: the organization's logo and the stylesheets inlined, and a URL
    fetcher that serves only the product's own files (the one door every PDF of the product goes through)."""
    from weasyprint import HTML

    if branding and branding.get("logo_url"):
        branding = {**branding, "logo_url": logo_data_uri(organization)}
    page = {**context, "branding": branding, "pdf": True, "report_css": report_css()}
    html = render_to_string(template, page, request=request)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=url_fetcher()).write_pdf()


def report_pdf(request, scan, *, branding: dict | None) -> bytes:
    return render_pdf(
        "portal/report/pdf.html",
        report_context(scan),
        organization=scan.organization,
        branding=branding,
        request=request,
    )
