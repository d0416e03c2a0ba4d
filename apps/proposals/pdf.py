"""The accepted proposal as a PDF: the report pages (apps.reports.pdf's offline, fetch-restricted renderer)
followed by the proposal: price, terms and, on the last page, the acceptance record (who, when, hash)."""

from __future__ import annotations

from django.utils import translation

from apps.proposals.models import Proposal
from apps.reports.context import branding_for, report_context
from apps.reports.pdf import render_pdf


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
    scan = proposal.scan
    with translation.override(language):
        context = report_context(scan) if scan is not None and scan.report else {"scan": scan}
        context.update(proposal_context(proposal))
        return render_pdf(
            "proposals/pdf.html",
            context,
            organization=proposal.organization,
            branding=branding_for(proposal.organization),
        )
