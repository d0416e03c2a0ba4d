"""Device links of a dossier in the installer portal: list, link a provider, sync now, build a studio
profile from the measurements, unlink, and a monthly readings summary; plus the dossier's device facts as
JSON for the scan form (``dossier_device_facts_json``).

All reads go through ``apps.devices.selectors`` scoped to ``request.organization`` (another organization's
dossier or link is a 404); all writes through ``apps.devices.services``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.common.errors import AppError, NotFound
from apps.devices import selectors, services
from apps.devices.models import DeviceLink, Provider, Reading
from apps.dossiers.models import Dossier
from apps.dossiers.selectors import dossier_get
from apps.portal.views.base import portal_view, report_app_error

SUMMARY_KINDS = {  # reading kind → column heading of the monthly summary
    Reading.Kind.PRODUCTION: gettext_lazy("PV production"),
    Reading.Kind.CONSUMPTION: gettext_lazy("Consumption"),
    Reading.Kind.GRID_IMPORT: gettext_lazy("Grid import"),
    Reading.Kind.GRID_EXPORT: gettext_lazy("Grid export"),
}
_SESSION_URL = "device_link_url:{}"  # the vendor URL of a just-created link, shown once


class LinkCreateForm(forms.Form):
    provider = forms.ChoiceField(label=gettext_lazy("Provider"), choices=Provider.choices)
    pod = forms.CharField(
        label=gettext_lazy("Supply point (POD / EAN)"),
        required=False,
        help_text=gettext_lazy("POD consumption API only."),
    )
    account_number = forms.CharField(label=gettext_lazy("Account number"), required=False)
    company_code = forms.CharField(label=gettext_lazy("Company code"), required=False)


def _dossier(request, pk: str) -> Dossier:
    return dossier_get(organization=request.organization, dossier_id=pk)


def _link(request, pk: str) -> DeviceLink:
    try:
        return selectors.device_link_get(organization=request.organization, link_id=pk)
    except NotFound:
        raise Http404("Device link not found.") from None


def _monthly(link: DeviceLink) -> list[dict]:
    """Rows of the readings summary: one per local month, kWh per kind (None when not measured)."""
    columns = {
        kind: selectors.link_readings(link=link, kind=kind, resolution="month") for kind in SUMMARY_KINDS
    }
    months = sorted({month for series in columns.values() for month in series.index})
    return [
        {
            "month": month.to_pydatetime(),
            "values": [
                round(float(columns[kind][month]), 1) if month in columns[kind].index else None
                for kind in SUMMARY_KINDS
            ],
        }
        for month in months
    ]


def _studio_url(profile_id: str) -> str | None:
    try:
        return reverse("portal:studio_detail", args=[profile_id])
    except NoReverseMatch:  # the studio pages are not installed
        return None


@portal_view
@require_GET
def device_link_index(request, dossier_pk: str):
    dossier = _dossier(request, dossier_pk)
    links = selectors.device_link_list(organization=request.organization, dossier_id=dossier.pk)
    return render(
        request,
        "portal/devices/index.html",
        {"dossier": dossier, "links": links, "form": LinkCreateForm()},
    )


@portal_view
@require_POST
def device_link_new(request, dossier_pk: str):
    dossier = _dossier(request, dossier_pk)
    form = LinkCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            started = services.link_create(
                organization=request.organization,
                dossier=dossier,
                provider=data["provider"],
                pod=data["pod"] or None,
                account_number=data["account_number"] or None,
                company_code=data["company_code"] or None,
            )
        except AppError as error:
            report_app_error(request, error)
        else:
            if started.link_url:
                request.session[_SESSION_URL.format(started.link.pk)] = started.link_url
            messages.success(request, _("Device link created."))
            return redirect("portal:device_link_detail", pk=started.link.pk)
    links = selectors.device_link_list(organization=request.organization, dossier_id=dossier.pk)
    return render(
        request, "portal/devices/index.html", {"dossier": dossier, "links": links, "form": form}, status=400
    )


@portal_view
@require_GET
def device_link_detail(request, pk: str):
    link = _link(request, pk)
    link_url = request.session.pop(_SESSION_URL.format(link.pk), None)
    return render(
        request,
        "portal/devices/detail.html",
        {
            "link": link,
            "dossier": link.dossier,
            "link_url": link_url,
            "assets": list(link.assets.all()),
            "monthly": _monthly(link),
            "kinds": list(SUMMARY_KINDS.values()),
            "studio_url": _studio_url(link.studio_profile_id) if link.studio_profile_id else None,
        },
    )


@portal_view
@require_POST
def device_link_restart(request, pk: str):
    """A fresh link / authorize URL (the household lost it, or the grant expired)."""
    link = _link(request, pk)
    try:
        started = services.link_restart(link=link)
    except AppError as error:
        report_app_error(request, error)
    else:
        if started.link_url:
            request.session[_SESSION_URL.format(link.pk)] = started.link_url
    return redirect("portal:device_link_detail", pk=link.pk)


@portal_view
@require_POST
def device_link_sync(request, pk: str):
    link = _link(request, pk)
    try:
        services.link_request_sync(link=link)
    except AppError as error:
        report_app_error(request, error)
    else:
        messages.success(request, _("Sync queued: the readings are fetched in the background."))
    return redirect("portal:device_link_detail", pk=link.pk)


@portal_view
@require_POST
def device_link_studio_profile(request, pk: str):
    link = _link(request, pk)
    try:
        profile = services.studio_profile_from_link(link=link, profile=link.studio_profile, user=request.user)
    except AppError as error:
        report_app_error(request, error)
        return redirect("portal:device_link_detail", pk=link.pk)
    messages.success(
        request, _("Studio profile “%(name)s” built from the measurements.") % {"name": profile.name}
    )
    return redirect(_studio_url(profile.pk) or reverse("portal:device_link_detail", args=[link.pk]))


@portal_view
@require_http_methods(["GET", "POST"])
def device_link_delete(request, pk: str):
    link = _link(request, pk)
    dossier = link.dossier
    if request.method == "POST":
        try:
            services.link_delete(link=link)
        except AppError as error:
            report_app_error(request, error)
            return redirect("portal:device_link_detail", pk=link.pk)
        messages.success(request, _("Device link removed."))
        return redirect("portal:device_link_index", dossier_pk=dossier.pk)
    return render(request, "portal/devices/confirm_delete.html", {"link": link, "dossier": dossier})


@portal_view
@require_GET
def dossier_device_facts_json(request, dossier_pk: str):
    """``GET /dossiers/<id>/devices/facts.json`` (session auth): what the dossier's linked devices say —
    ``battery`` / ``vehicle`` / ``charger`` (capacityKwh, capacityKw, name, facts) and ``production``
    (measuredYearlyKwh, inverterCapacityKw, measured: {measuredKwh, periodStart, periodEnd, periodDays,
    source, linkId}). Every key is present; absent devices are null."""
    dossier = _dossier(request, dossier_pk)
    facts = selectors.dossier_device_facts(organization=request.organization, dossier_id=dossier.pk)
    return JsonResponse({"dossierId": dossier.pk, **facts})
