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
from apps.common.errors import AppError, NotFound
from apps.devices.selectors import dossier_device_facts
from apps.dossiers.models import Dossier
from apps.portal import scan_form
from apps.portal.reporting import branding_for, compare_rows, goal_label, kpi_summary, report_context
from apps.portal.views.base import org_object_or_404, portal_view
from apps.scans import selectors, services
from apps.scans.models import Scan
from apps.scans.submission import scan_submit
from apps.studio.selectors import studio_profile_list

STATUS_LABELS = {
    "processing": gettext_lazy("Calculating"),
    "completed": gettext_lazy("Completed"),
    "error": gettext_lazy("Failed"),
}


def _scan(request, pk: str) -> Scan:
    try:
        return selectors.scan_get(organization=request.organization, scan_id=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _submit(request, values: dict, *, dossier: Dossier | None, copied_from: Scan | None, only_steps=None):
    """Send the form through the API's serializer and service. Returns (scan, field errors, message)."""
    body = scan_form.body_from_values(values, only_steps=only_steps)
    if dossier is not None:
        body["dossier_id"] = dossier.pk
    if copied_from is not None:
        body["copied_from_id"] = copied_from.pk
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
    context = {
        "sections": sections,
        "unplaced_errors": scan_form.unplaced_errors(sections, errors),
        "message": message,
        "dossier": dossier,
        "original": scan,
        "editable_steps": editable_steps,
        "values": values,
    }
    return render(request, "portal/scans/form.html", context, status=status)


@portal_view
@require_http_methods(["GET", "POST"])
def scan_new(request, dossier_pk: str):
    dossier = org_object_or_404(request, Dossier.objects.all(), pk=dossier_pk)
    if request.method == "POST":
        values = scan_form.normalise_rows(scan_form.values_from_post(request.POST))
        scan, errors, message = _submit(request, values, dossier=dossier, copied_from=None)
        if scan is not None:
            messages.success(request, _("Scan started. The report appears here when it is ready."))
            return redirect("portal:scan_detail", pk=scan.pk)
        return _form_page(request, values=values, errors=errors, message=message, dossier=dossier, status=400)
    values = scan_form.default_values(lat=dossier.latitude, lon=dossier.longitude)
    facts = dossier_device_facts(organization=request.organization, dossier_id=dossier.pk)
    battery_name = scan_form.apply_device_facts(values, facts)
    if battery_name is not None:
        messages.info(
            request, _("Battery size taken from the linked device %(name)s.") % {"name": battery_name}
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
        values = scan_form.normalise_rows(scan_form.values_from_post(request.POST))
        shown = {**scan_form.values_from_inputs(root.inputs), **values}
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
        values=scan_form.values_from_inputs(root.inputs),
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
    from apps.portal.pdf import report_pdf

    return _pdf_response(report_pdf(request, scan, branding=branding_for(request.organization)), scan)


def _pdf_response(data: bytes, scan: Scan) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="solarscan-{scan.pk}.pdf"'
    return response


@portal_view
@require_GET
def scan_compare(request, pk: str):
    scan = _scan(request, pk)
    root = scan
    if scan.copied_from_id:
        root = (
            Scan.objects.for_organization(request.organization).filter(pk=scan.copied_from_id).first() or scan
        )
    ids = [root.pk, *reversed([a.pk for a in selectors.scan_adjustments(scan=root)])]
    scans = Scan.objects.for_organization(request.organization).in_bulk(ids)
    columns = [{"scan": scans[pk], "kpi": kpi_summary(scans[pk]) if scans[pk].report else None} for pk in ids]
    return render(
        request,
        "portal/scans/compare.html",
        {"root": root, "columns": columns, "rows": compare_rows(columns)},
    )
