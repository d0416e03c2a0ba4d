"""Scans in the portal: the form (new and adjust), the scan page with live status and the report, sharing,
the PDF and the comparison of a scan with its adjustments. Every write goes through apps.scans."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.exceptions import ValidationError

from apps.common.api.errors import flatten_errors
from apps.common.errors import AppError
from apps.dossiers.models import Dossier
from apps.dossiers.selectors import dossier_get
from apps.portal import scan_body, scan_form
from apps.portal.price_upload import MAX_BYTES, PriceFileError, parse_price_csv
from apps.portal.views.base import portal_view
from apps.reports.context import branding_for, compare_rows, kpi_summary, report_context
from apps.reports.wording import goal_label
from apps.scans import plausibility, selectors, services
from apps.scans.api.submission import scan_submit
from apps.scans.models import Scan
from apps.scans.prefill import scan_prefill
from apps.studio.selectors import studio_profile_list

STATUS_LABELS = {
    "processing": gettext_lazy("Calculating"),
    "completed": gettext_lazy("Completed"),
    "error": gettext_lazy("Failed"),
}


def _scan(request, pk: str) -> Scan:
    return selectors.scan_get(organization=request.organization, scan_id=pk)


PRICE_FILE = "tariff.dayAheadFile"
PRICE_UNIT = "_dayAheadUnit"  # "_" keeps it out of the API body


def _price_upload_fields(values: dict, errors: dict) -> list[scan_form.Field]:
    """The dynamic contract's own-prices inputs: a CSV of 8760 hourly day-ahead prices and its unit."""
    when = "tariff.type=dynamic"
    return [
        scan_form.Field(
            name=PRICE_FILE,
            label=_("Own day-ahead prices (CSV)"),
            kind="file",
            help=_(
                "Optional: 8760 hourly prices for one year, first row 1 January 00:00. Without a file the "
                "built-in price year is used. Choose the file again after a correction."
            ),
            errors=errors.get(PRICE_FILE, []) + errors.get("tariff.dayAheadEurPerKwh", []),
            when=when,
        ),
        scan_form.Field(
            name=PRICE_UNIT,
            label=_("Unit of the prices in the file"),
            kind="select",
            value=values.get(PRICE_UNIT, "eur_per_mwh"),
            choices=[("eur_per_mwh", "€/MWh"), ("eur_per_kwh", "€/kWh")],
            when=when,
        ),
    ]


def _uploaded_prices(request, values: dict) -> tuple[list[float] | None, dict]:
    """The uploaded day-ahead prices [€/kWh], or None without a file; field errors when unreadable."""
    upload = request.FILES.get(PRICE_FILE)
    if upload is None:
        return None, {}
    if values.get("tariff.type") != "dynamic":
        return None, {PRICE_FILE: [_("Own day-ahead prices need the dynamic contract.")]}
    try:
        return parse_price_csv(upload.read(MAX_BYTES + 1), unit=values.get(PRICE_UNIT, "")), {}
    except PriceFileError as exc:
        return None, {PRICE_FILE: [str(exc)]}


def _link_unplaced(sections, errors: dict) -> dict:
    """Errors on a group (e.g. "location: required") marked on the group's inputs, so the summary can
    link to the first of them and the inputs are highlighted. Returns {name: (messages, html id, label)}."""
    fields = [f for section in sections for f in (*section.fields, *(f for row in section.rows for f in row))]
    titles = {section.step: section.title for section in sections}
    linked = {}
    for name, messages_ in scan_form.unplaced_errors(sections, errors).items():
        members = [f for f in fields if f.name.startswith(name + ".")]
        for member in members:
            member.errors = [*member.errors, *messages_]
        linked[name] = (messages_, members[0].html_id if members else "", titles.get(name, ""))
    return linked


def _submit(
    request,
    values: dict,
    *,
    dossier: Dossier | None,
    copied_from: Scan | None,
    only_steps=None,
    day_ahead: list[float] | None = None,
):
    """Send the form through the API's serializer and service. Returns (scan, field errors, message)."""
    body = scan_body.body_from_values(values, only_steps=only_steps)
    if day_ahead is not None:
        body.setdefault("tariff", {})["day_ahead_eur_per_kwh"] = day_ahead
    if dossier is not None:
        body["dossier_id"] = dossier.pk
    if copied_from is not None:
        body["copied_from_id"] = copied_from.pk
    unusual = plausibility.implausible(body)
    if unusual and not values.get(scan_form.CONFIRM_KEY):
        return (
            None,
            unusual,
            _("Some values look unusual. Check them, or tick the confirmation and run again."),
        )
    try:
        created = scan_submit(organization=request.organization, data=body)
    except ValidationError as exc:
        return None, flatten_errors(exc.detail), _("Please correct the fields marked below.")
    except AppError as exc:
        return None, dict(exc.errors or {}), exc.detail
    return created.scan, {}, None


def _form_page(request, *, values, errors, message, dossier, scan=None, editable_steps=None, status=200):
    sections = scan_form.build_sections(
        values,
        errors,
        studio_profiles=studio_profile_list(organization=request.organization),
        editable_steps=editable_steps,
    )
    if editable_steps is None:  # a new scan: own prices can be uploaded with the dynamic contract
        for section in sections:
            if section.step == "tariff":
                section.fields += _price_upload_fields(values, errors)
    context = {
        "sections": sections,
        "unplaced_errors": _link_unplaced(sections, errors),
        "message": message,
        "dossier": dossier,
        "original": scan,
        "editable_steps": editable_steps,
        "values": values,
        "confirm_key": scan_form.CONFIRM_KEY,
        "needs_confirmation": bool(plausibility.implausible(scan_body.body_from_values(values)))
        if errors
        else False,
    }
    return render(request, "portal/scans/form.html", context, status=status)


@portal_view
@require_http_methods(["GET", "POST"])
def scan_new(request, dossier_pk: str):
    dossier = dossier_get(organization=request.organization, dossier_id=dossier_pk)
    if request.method == "POST":
        values = scan_body.normalise_rows(scan_body.values_from_post(request.POST))
        day_ahead, price_errors = _uploaded_prices(request, values)
        if price_errors:
            message = _("Please correct the fields marked below.")
            return _form_page(
                request, values=values, errors=price_errors, message=message, dossier=dossier, status=400
            )
        scan, errors, message = _submit(
            request, values, dossier=dossier, copied_from=None, day_ahead=day_ahead
        )
        if scan is not None:
            messages.success(request, _("Scan started. The report appears here when it is ready."))
            return redirect("portal:scan_detail", pk=scan.pk)
        return _form_page(request, values=values, errors=errors, message=message, dossier=dossier, status=400)
    values = scan_form.default_values(lat=dossier.latitude, lon=dossier.longitude)
    prefill = scan_prefill(organization=request.organization, dossier_id=dossier.pk)
    scan_form.apply_prefill(values, prefill["electric_battery"])
    if prefill["battery_device"] is not None:
        messages.info(
            request,
            _("Battery size taken from the linked device %(name)s.")
            % {"name": prefill["battery_device"]["name"]},
        )
    return _form_page(request, values=values, errors={}, message=None, dossier=dossier)


@portal_view
@require_http_methods(["GET", "POST"])
def scan_adjust(request, pk: str):
    original = _scan(request, pk)
    if original.status != Scan.Status.COMPLETED:
        messages.error(request, _("Only a completed scan can be adjusted."))
        return redirect("portal:scan_detail", pk=original.pk)
    root = services.adjustment_root(organization=request.organization, copied_from_id=original.pk)
    editable = set(request.organization.adjustable_steps or [])
    if request.method == "POST":
        values = scan_body.normalise_rows(scan_body.values_from_post(request.POST))
        shown = {**scan_body.values_from_inputs(root.inputs), **values}
        scan, errors, message = _submit(request, values, dossier=None, copied_from=root, only_steps=editable)
        if scan is not None:
            messages.success(request, _("Adjustment started; it does not count toward your scan quota."))
            return redirect("portal:scan_detail", pk=scan.pk)
        return _form_page(
            request,
            values=shown,
            errors=errors,
            message=message,
            dossier=root.dossier,
            scan=root,
            editable_steps=editable,
            status=400,
        )
    return _form_page(
        request,
        values=scan_body.values_from_inputs(root.inputs),
        errors={},
        message=None,
        dossier=root.dossier,
        scan=root,
        editable_steps=editable,
    )


def _status_payload(scan: Scan) -> dict:
    return {
        "id": scan.pk,
        "status": scan.public_status,
        "label": str(STATUS_LABELS.get(scan.public_status, scan.public_status)),
        "errorMessage": scan.error_message or None,
    }


@portal_view
def scan_detail(request, pk: str):
    scan = _scan(request, pk)
    context = {
        "scan": scan,
        "status": _status_payload(scan),
        "goal_label": goal_label(scan.goal),
        "share_url": request.build_absolute_uri(reverse("portal:share", args=[scan.share_token]))
        if scan.share_token
        else None,
        "adjustable": bool(request.organization.adjustable_steps),
        "root_id": scan.copied_from_id or scan.pk,
    }
    if scan.status == Scan.Status.COMPLETED:
        context.update(report_context(scan))
        context["branding"] = None
        context["show_technical"] = True
    return render(request, "portal/scans/detail.html", context)


@portal_view
@require_GET
def scan_status(request, pk: str):
    return JsonResponse(_status_payload(_scan(request, pk)))


@portal_view
@require_POST
def scan_share(request, pk: str):
    scan = _scan(request, pk)
    try:
        services.scan_share(scan=scan)
        messages.success(request, _("Sharing is on. Anyone with the link can open the report."))
    except AppError as exc:
        messages.error(request, _share_refusal(exc))
    return redirect("portal:scan_detail", pk=scan.pk)


def _share_refusal(exc: AppError) -> str:
    if exc.status == 402:
        return _("Sharing reports needs the paid plan. Upgrade to send branded links to your customers.")
    if exc.code == "scan_not_completed":
        return _("Only a completed scan can be shared.")
    return exc.detail


@portal_view
@require_POST
def scan_unshare(request, pk: str):
    scan = _scan(request, pk)
    services.scan_unshare(scan=scan)
    messages.success(request, _("Sharing is off. The old link no longer works."))
    return redirect("portal:scan_detail", pk=scan.pk)


@portal_view
@require_GET
def scan_pdf(request, pk: str):
    scan = _scan(request, pk)
    if scan.status != Scan.Status.COMPLETED:
        raise Http404("The report is not ready.")
    from apps.portal.pdf_cache import PdfBusy, cached_report_pdf

    try:
        data = cached_report_pdf(request, scan, branding=branding_for(request.organization))
    except PdfBusy:
        response = HttpResponse(status=503)
        response["Retry-After"] = "5"
        return response
    return _pdf_response(data, scan)


def _pdf_response(data: bytes, scan: Scan) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="solarscan-{scan.pk}.pdf"'
    return response


@portal_view
@require_GET
def scan_compare(request, pk: str):
    scan = _scan(request, pk)
    root = _scan(request, scan.copied_from_id) if scan.copied_from_id else scan
    lineage = [root, *reversed(list(selectors.scan_adjustments(scan=root)))]
    columns = [{"scan": each, "kpi": kpi_summary(each) if each.report else None} for each in lineage]
    return render(
        request,
        "portal/scans/compare.html",
        {"root": root, "columns": columns, "rows": compare_rows(columns)},
    )
