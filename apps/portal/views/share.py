"""The homeowner's report at /s/<token>: no login, the organization's branding, Dutch unless asked
otherwise (?lang=en, remembered in the language cookie). A revoked or unknown token answers 404 at once
with the product's own short page in the visitor's language, also with DEBUG on (never Django's debug page,
which would list every URL of the site to a homeowner)."""

from __future__ import annotations

import functools
import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.common import lockout
from apps.common.errors import Gone, NotFound
from apps.monitoring.homeowner import homeowner_year
from apps.organizations.selectors import membership_for
from apps.portal.pdf_cache import PdfBusy, cached_report_pdf
from apps.portal.views.scans import _pdf_response
from apps.proposals.views import share_proposal_context
from apps.reports.context import branding_for, report_context
from apps.scans import selectors, services

SHARE_DEFAULT_LANGUAGE = "nl"


def _language(request) -> str:
    codes = {code for code, _ in settings.LANGUAGES}
    asked = request.GET.get("lang")
    if asked in codes:
        return asked
    remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return remembered if remembered in codes else SHARE_DEFAULT_LANGUAGE


class ShareGone(Exception):
    """The token matches no shared scan: unknown, or (`revoked`) withdrawn by the installer."""

    def __init__(self, token: str, *, revoked: bool):
        super().__init__(token)
        self.revoked = revoked


def _shared(token: str):
    try:
        return selectors.scan_by_share_token(token=token)
    except Gone as exc:
        raise ShareGone(token, revoked=True) from exc
    except NotFound as exc:
        raise ShareGone(token, revoked=False) from exc


def _gone_page(request, *, revoked: bool) -> HttpResponse:
    """404 for a link that never existed, 410 for one the installer withdrew: the page says which."""
    language = _language(request)
    with translation.override(language):
        response = render(
            request, "portal/report/share_gone.html", {"revoked": revoked}, status=410 if revoked else 404
        )
    response["Content-Language"] = language
    return response


def friendly_gone(view):
    """Answer a missing share with the homeowner's page instead of an exception."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ShareGone as gone:
            return _gone_page(request, revoked=gone.revoked)

    return wrapper


def _is_own_installer(request, scan) -> bool:
    """The installer checking their own link is not the customer viewing it."""
    user = request.user
    return bool(user.is_authenticated and scan.organization and membership_for(user, scan.organization))


@never_cache
@require_GET
@friendly_gone
def share_page(request, token: str):
    scan = _shared(token)
    language = _language(request)
    with translation.override(language):
        own_installer = _is_own_installer(request, scan)
        if not own_installer:
            services.scan_share_viewed(scan=scan)
        context = report_context(scan)
        branding = branding_for(scan.organization)
        if branding["logo_url"]:
            branding["logo_url"] = reverse("portal:share_logo", args=[token])
        context.update({"branding": branding, "token": token, "share_lang": language})
        context["system_year"] = homeowner_year(dossier=scan.dossier)  # once installed and measured
        context.update(share_proposal_context(request, scan, count_view=not own_installer))
        response = render(request, "portal/report/share.html", context)
    if request.GET.get("lang") == language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    response["Content-Language"] = language
    return response


@require_GET
@friendly_gone
def share_logo(request, token: str):
    """The organization's logo for the share page, through the token (media is not public in production).
    Served with a locked-down policy so an SVG logo cannot run script."""
    scan = _shared(token)
    logo = (
        scan.organization.branding_logo if scan.organization and scan.organization.branding_enabled else None
    )
    if not logo:
        raise Http404("No logo.")
    try:
        handle = logo.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404("No logo.") from exc
    response = FileResponse(
        handle, content_type=mimetypes.guess_type(logo.name)[0] or "application/octet-stream"
    )
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


@never_cache
@require_GET
@friendly_gone
def share_pdf(request, token: str):
    """Rate-limited per address, drawn once per version of the report (apps.portal.pdf_cache)."""
    wait = lockout.rate_exceeded(lockout.SHARE_PDF_PER_ADDRESS, lockout.client_address(request))
    if wait:
        return _retry_later(429, wait)
    scan = _shared(token)
    try:
        with translation.override(_language(request)):
            data = cached_report_pdf(request, scan, branding=branding_for(scan.organization))
    except PdfBusy:
        return _retry_later(503, 5)
    return _pdf_response(data, scan)


def _retry_later(status: int, seconds: int) -> HttpResponse:
    response = HttpResponse(_("Too many requests for this report; try again shortly."), status=status)
    response["Retry-After"] = str(seconds)
    return response
