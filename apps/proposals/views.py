"""The homeowner's answer at /s/<token>/proposal/…: no login; the share token is the only key and reaches
only the proposal of its own scan. A revoked link is a 404; answers are rate-limited per token."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.common import lockout
from apps.common.errors import AppError, Gone, NotFound
from apps.proposals import selectors, services
from apps.proposals.followup import accepted_pdf_bytes
from apps.proposals.forms import AcceptForm, DeclineForm
from apps.proposals.models import Proposal, ProposalResponse
from apps.reports.context import branding_for
from apps.scans.selectors import scan_by_share_token

# A homeowner answers once or twice; a script hammering one token is slowed to a few tries a minute.
ANSWER_PER_TOKEN = lockout.Rate("proposal-answer-token", per_window=10, window_s=60)
LANGUAGES = ("nl", "en")


def share_proposal_context(request, scan, *, count_view: bool) -> dict:
    """The share page's proposal block (hook in apps.portal.views.share): the newest proposal of this scan
    and empty answer forms. Opening the page by the homeowner moves sent → viewed."""
    proposal = selectors.proposal_for_shared_scan(scan=scan)
    if proposal is None:
        return {}
    proposal = (
        services.proposal_viewed(proposal=proposal)
        if count_view
        else services.proposal_refresh(proposal=proposal)
    )
    return _block_context(proposal)


def _block_context(proposal: Proposal, accept_form=None, decline_form=None) -> dict:
    initial = {"content_hash": proposal.content_hash}
    return {
        "proposal": proposal,
        "proposal_price": proposal.snapshot["price"],
        "proposal_response": selectors.proposal_response_get(proposal=proposal),
        "accept_form": accept_form or AcceptForm(initial=initial),
        "decline_form": decline_form or DeclineForm(initial=initial),
    }


def _shared(token: str):
    try:
        scan = scan_by_share_token(token=token)
    except (NotFound, Gone) as exc:
        raise Http404(str(exc)) from exc
    proposal = selectors.proposal_for_shared_scan(scan=scan)
    if proposal is None:
        raise Http404("No proposal on this link.")
    return scan, proposal


def _language(request) -> str:
    asked = request.POST.get("lang") or request.GET.get("lang")
    return asked if asked in LANGUAGES else "nl"


def _client(request) -> dict:
    address = lockout.client_address(request)
    return {
        "ip_address": None if address == "unknown" else address,
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def _too_many(seconds: int) -> HttpResponse:
    response = HttpResponse(_("Too many answers for this proposal; try again in a minute."), status=429)
    response["Retry-After"] = str(seconds)
    return response


def _page(request, token, scan, proposal, *, status=200, error="", **forms) -> HttpResponse:
    context = {
        **_block_context(proposal, **forms),
        "token": token,
        "scan": scan,
        "branding": _branding(token, scan),
        "proposal_error": error,
        "share_lang": translation.get_language(),
    }
    return render(request, "proposals/answer.html", context, status=status)


def _branding(token: str, scan) -> dict:
    branding = branding_for(scan.organization)
    if branding["logo_url"]:
        branding["logo_url"] = reverse("portal:share_logo", args=[token])
    return branding


def _answer(request, token: str, decision: str) -> HttpResponse:
    wait = lockout.rate_exceeded(ANSWER_PER_TOKEN, token)
    if wait:
        return _too_many(wait)
    scan, proposal = _shared(token)
    language = _language(request)
    with translation.override(language):
        form_class = AcceptForm if decision == ProposalResponse.Decision.ACCEPTED else DeclineForm
        form = form_class(request.POST)
        forms = {"accept_form" if form_class is AcceptForm else "decline_form": form}
        if not form.is_valid():
            return _page(request, token, scan, proposal, status=400, **forms)
        data = form.cleaned_data
        try:
            services.proposal_answer(
                proposal=proposal,
                decision=decision,
                content_hash=data["content_hash"],
                name=data.get("name", ""),
                email=data.get("email", ""),
                terms_accepted=bool(data.get("terms")),
                remark=data.get("remark") or data.get("reason") or "",
                language=language,
                **_client(request),
            )
        except AppError as exc:
            proposal.refresh_from_db()
            return _page(
                request, token, scan, proposal, status=exc.status, error=_closed_message(proposal), **forms
            )
    return redirect(f"{reverse('portal:share', args=[token])}?lang={language}#proposal")


def _closed_message(proposal: Proposal) -> str:
    if proposal.status == Proposal.Status.EXPIRED:
        return _("This proposal has expired and can no longer be accepted. Ask the installer for a new one.")
    if proposal.status == Proposal.Status.WITHDRAWN:
        return _("The installer has withdrawn this proposal; it can no longer be accepted.")
    if proposal.status in (Proposal.Status.ACCEPTED, Proposal.Status.DECLINED):
        return _("This proposal has already been answered.")
    return _("This proposal has changed since you opened the page. Reload the page and check it again.")


@never_cache
@require_POST
def proposal_accept(request, token: str):
    return _answer(request, token, ProposalResponse.Decision.ACCEPTED)


@never_cache
@require_POST
def proposal_decline(request, token: str):
    return _answer(request, token, ProposalResponse.Decision.DECLINED)


@never_cache
@require_GET
def proposal_pdf(request, token: str):
    """The accepted PDF exactly as stored at acceptance (rate-limited like the report PDF)."""
    wait = lockout.rate_exceeded(lockout.SHARE_PDF_PER_ADDRESS, lockout.client_address(request))
    if wait:
        return _too_many(wait)
    _scan, proposal = _shared(token)
    if proposal.status != Proposal.Status.ACCEPTED:
        raise Http404("Not accepted.")
    return pdf_response(accepted_pdf_bytes(proposal), proposal)


def pdf_response(data: bytes, proposal: Proposal) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proposal-{proposal.id}-v{proposal.version}.pdf"'
    return response
