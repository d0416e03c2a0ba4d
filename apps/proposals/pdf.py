"""The accepted proposal as a PDF: the report pages (apps.portal.pdf's offline, fetch-restricted renderer)
followed by the proposal: price, terms and, on the last page, the acceptance record (who, when, hash)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from apps.portal.pdf import PDF_BASE_URL, PDF_STYLESHEETS, _css, logo_data_uri, url_fetcher
from apps.portal.reporting import branding_for, report_context
from apps.proposals.models import Proposal


def proposal_context(proposal: Proposal) -> dict:
    """What the proposal pages show, read from the frozen snapshot (not from the scan, which may be gone)."""
    price = proposal.snapshot["price"]
    return {
        "proposal": proposal,
        "price": price,
        "design": proposal.snapshot["design"],
        "response": getattr(proposal, "response", None),
    }


def proposal_pdf(proposal: Proposal, *, language: str = "nl") -> bytes:
    from weasyprint import HTML

    scan = proposal.scan
    with translation.override(language):
        context = report_context(scan) if scan is not None and scan.report else {"scan": scan}
        branding = branding_for(proposal.organization)
        if branding and branding.get("logo_url"):
            branding = {**branding, "logo_url": logo_data_uri(proposal.organization)}
        context.update(proposal_context(proposal))
        context.update(
            {
                "branding": branding,
                "pdf": True,
                "report_css": "\n".join(_css(name) for name in PDF_STYLESHEETS),
            }
        )
        html = render_to_string("proposals/pdf.html", context)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=url_fetcher()).write_pdf()
