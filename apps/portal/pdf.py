"""The report as a PDF: the same report templates with the print layout, drawn by WeasyPrint (offline:
fonts from the system, charts are inline SVG, the logo is read from storage as a data URI)."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from apps.portal.reporting import report_context

PDF_STYLESHEETS = ("css/solarscan.css", "css/report.css")


def _css(name: str) -> str:
    """A stylesheet's text, inlined so WeasyPrint never fetches from the (possibly busy) web server."""
    path = finders.find(name)
    return Path(path).read_text(encoding="utf-8") if path else ""


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
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def report_pdf(request, scan, *, branding: dict | None) -> bytes:
    from weasyprint import HTML

    context = report_context(scan)
    context.update({"branding": branding, "pdf": True})
    if branding and branding.get("logo_url"):
        branding = {**branding, "logo_url": logo_data_uri(scan.organization) or branding["logo_url"]}
        context["branding"] = branding
    context["report_css"] = "\n".join(_css(name) for name in PDF_STYLESHEETS)
    html = render_to_string("portal/report/pdf.html", context, request=request)
    # No base URL: everything is inline, so the renderer never calls back into this server.
    return HTML(string=html).write_pdf()
