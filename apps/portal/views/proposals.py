"""The installer's side in the portal: make a proposal from a completed scan, withdraw it, download the
accepted PDF. Scans and proposals are read through their selectors, inside the request's organization only."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.common.errors import AppError
from apps.portal.views.base import portal_view
from apps.proposals import selectors, services
from apps.proposals.followup import accepted_pdf_bytes
from apps.proposals.forms import ProposalNewForm
from apps.proposals.models import Proposal
from apps.proposals.views import pdf_response
from apps.scans.selectors import scan_get


def _back(scan_id: str):
    return redirect(reverse("portal:scan_detail", args=[scan_id]) + "#proposals")


@portal_view
@require_POST
def proposal_new(request, pk: str):
    scan = scan_get(organization=request.organization, scan_id=pk)
    form = ProposalNewForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return _back(scan.pk)
    try:
        proposal = services.proposal_create(organization=request.organization, scan=scan, **form.cleaned_data)
    except AppError as exc:
        messages.error(request, exc.detail)
        return _back(scan.pk)
    messages.success(request, _("Proposal version %(version)s sent.") % {"version": proposal.version})
    return _back(scan.pk)


@portal_view
@require_POST
def proposal_withdraw(request, pk: str):
    proposal = selectors.proposal_get(organization=request.organization, proposal_id=pk)
    try:
        services.proposal_withdraw(proposal=proposal)
        messages.success(request, _("Proposal withdrawn."))
    except AppError as exc:
        messages.error(request, exc.detail)
    return _back(proposal.scan_id) if proposal.scan_id else redirect("portal:dashboard")


@portal_view
@require_GET
def proposal_accepted_pdf(request, pk: str):
    proposal = selectors.proposal_get(organization=request.organization, proposal_id=pk)
    if proposal.status != Proposal.Status.ACCEPTED:
        raise Http404("Not accepted.")
    return pdf_response(accepted_pdf_bytes(proposal), proposal)
