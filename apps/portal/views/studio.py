"""Studio profile editor: list, editor page, base profile, layers, charts and CSV export.

Thin views: the studio API's serializers validate (``apps.portal.studio_forms``), the studio services
write, the selectors read (404 outside the organization). After every change the editor page is shown
again, so the summary and the chart reflect the new result.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.common.errors import AppError, NotFound
from apps.devices.selectors import linked_vehicles
from apps.portal import studio_forms as f
from apps.portal.studio_charts import studio_chart as render_chart
from apps.portal.views.base import portal_view
from apps.studio import selectors, services
from apps.studio.charts import WEEKS, ChartError
from apps.studio.csv_export import profile_csv
from apps.studio.layers import EV, LAYER_PRESETS, SOLAR
from apps.studio.layers.common import unpack
from apps.studio.models import StudioProfile
from apps.studio.prefill import ev_config_from_vehicle
from apps.studio.templates_catalog import TEMPLATES

VIEWS = ("week", "month", "year", "production", "export")
SUB_VIEWS = ("week", "month", "year")


def _profile(request, pk: str) -> StudioProfile:
    try:
        return selectors.studio_profile_get(organization=request.organization, profile_id=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _layer(profile: StudioProfile, layer_id: str):
    try:
        return selectors.studio_layer_get(profile=profile, layer_id=layer_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _editor_url(profile: StudioProfile, anchor: str = "") -> str:
    return reverse("portal:studio_detail", args=[profile.pk]) + (f"#{anchor}" if anchor else "")


# --- Charts --------------------------------------------------------------------------------------------


def _chart_params(query) -> dict:
    """view / index / sub from the query string, clamped to valid values (a bad link shows the year)."""
    view = query.get("view") if query.get("view") in VIEWS else "year"
    sub = query.get("sub") if query.get("sub") in SUB_VIEWS else "year"
    agg = sub if view in ("production", "export") else view
    try:
        index = int(query.get("index", 0))
    except (TypeError, ValueError):
        index = 0
    limit = {"week": WEEKS - 1, "month": 11, "year": 0}[agg]
    return {"view": view, "sub": sub, "agg": agg, "index": min(max(index, 0), limit), "limit": limit}


def _chart_context(profile: StudioProfile, query) -> dict | None:
    if not profile.has_base:
        return None
    params = _chart_params(query)
    try:
        data = selectors.studio_profile_chart(
            profile=profile,
            view=params["view"],
            index=params["index"],
            sub_view=params["sub"] if params["view"] in ("production", "export") else None,
        )
    except ChartError:  # the params are clamped above; keep the page alive regardless
        return None
    chart = render_chart(data)
    base_url = reverse("portal:studio_detail", args=[profile.pk])
    partial_url = reverse("portal:studio_chart", args=[profile.pk])

    def link(**changes) -> dict:
        query_params = {"view": params["view"], "sub": params["sub"], "index": params["index"], **changes}
        qs = "&".join(f"{k}={v}" for k, v in query_params.items())
        return {"href": f"{base_url}?{qs}#chart", "partial": f"{partial_url}?{qs}"}

    tabs = [
        {"key": key, "label": label, "current": key == params["view"], **link(view=key, index=0)}
        for key, label in (
            ("week", _("Week")),
            ("month", _("Month")),
            ("year", _("Year")),
            ("production", _("Production")),
            ("export", _("Export")),
        )
    ]
    subs = []
    if params["view"] in ("production", "export"):
        subs = [
            {"key": key, "label": label, "current": key == params["sub"], **link(sub=key, index=0)}
            for key, label in (("week", _("Week")), ("month", _("Month")), ("year", _("Year")))
        ]
    labels = data["labels"]
    if params["agg"] == "week":
        first, last = date.fromisoformat(labels[0][:10]), date.fromisoformat(labels[-1][:10])
        period = _("Week %(number)s · %(first)s – %(last)s") % {
            "number": params["index"] + 1,
            "first": formats.date_format(first, "j M"),
            "last": formats.date_format(last, "j M Y"),
        }
    elif params["agg"] == "month":
        period = formats.date_format(
            date.fromisoformat(labels[0] + "-01" if len(labels[0]) == 7 else labels[0]), "F Y"
        )
    else:
        period = str(profile.year)
    return {
        "chart": chart,
        "tabs": tabs,
        "subs": subs,
        "period": period,
        "step_label": {"week": _("kWh per hour"), "month": _("kWh per day"), "year": _("kWh per month")}[
            params["agg"]
        ],
        "prev": link(index=params["index"] - 1) if params["index"] > 0 else None,
        "next": link(index=params["index"] + 1) if params["index"] < params["limit"] else None,
        "totals": data["totals"],
        "params": params,
    }


# --- Pages ----------------------------------------------------------------------------------------------


@portal_view
@require_GET
def studio_index(request):
    profiles = selectors.studio_profile_list(organization=request.organization)
    return render(request, "portal/studio/list.html", {"profiles": profiles, "errors": {}})


@portal_view
@require_POST
def studio_new(request):
    data, errors = f.validate(
        f.CreateFields, {k: v for k in ("name", "year") if (v := request.POST.get(k, "").strip())}
    )
    if errors:
        profiles = selectors.studio_profile_list(organization=request.organization)
        return render(
            request,
            "portal/studio/list.html",
            {"profiles": profiles, "errors": f.error_lines(errors), "posted": request.POST},
            status=400,
        )
    profile = services.profile_create(organization=request.organization, user=request.user, **data)
    messages.success(request, _("Profile created. Choose a template or upload a meter file to start."))
    return redirect("portal:studio_detail", pk=profile.pk)


def _editor(request, profile: StudioProfile, *, status: int = 200, **extra) -> HttpResponse:
    layers = selectors.studio_layers(profile=profile)
    for layer in layers:
        layer.kind_label = f.KIND_LABELS.get(layer.kind, layer.kind)
    kinds = {layer.kind for layer in layers}
    presets = [
        {**preset, "taken": preset["type"] in kinds and preset["type"] in (EV, SOLAR)}
        for preset in LAYER_PRESETS.values()
    ]
    meta = profile.base_meta or {}
    context = {
        "profile": profile,
        "layers": layers,
        "presets": presets,
        "templates": list(TEMPLATES.values()),
        "report": meta.get("report") if profile.base_profile_type == StudioProfile.BaseType.UPLOAD else None,
        "base_meta": meta,
        "chart": _chart_context(profile, request.GET),
        "upload_errors": [],
        "template_errors": [],
        "rename_errors": [],
        "layer_errors": [],
        **extra,
    }
    return render(request, "portal/studio/detail.html", context, status=status)


@portal_view
@require_GET
def studio_detail(request, pk: str):
    return _editor(request, _profile(request, pk))


@portal_view
@require_GET
def studio_chart(request, pk: str):
    """The chart card alone, for the editor's small script (navigation without a page reload)."""
    profile = _profile(request, pk)
    return render(
        request,
        "portal/studio/_chart.html",
        {"profile": profile, "chart": _chart_context(profile, request.GET)},
    )


@portal_view
@require_POST
def studio_rename(request, pk: str):
    profile = _profile(request, pk)
    data, errors = f.validate(f.RenameFields, {"name": request.POST.get("name", "").strip()})
    if errors:
        return _editor(request, profile, status=400, rename_errors=f.error_lines(errors))
    services.profile_update(profile=profile, name=data["name"])
    messages.success(request, _("Profile renamed."))
    return redirect(_editor_url(profile))


@portal_view
@require_POST
def studio_duplicate(request, pk: str):
    profile = _profile(request, pk)
    copy = services.profile_duplicate(profile=profile, user=request.user)
    messages.success(request, _("Copy “%(name)s” created.") % {"name": copy.name})
    return redirect(_editor_url(copy))


@portal_view
@require_http_methods(["GET", "POST"])
def studio_delete(request, pk: str):
    profile = _profile(request, pk)
    if request.method == "POST":
        services.profile_delete(profile=profile)
        messages.success(request, _("Profile “%(name)s” deleted.") % {"name": profile.name})
        return redirect("portal:studio_index")
    return render(request, "portal/studio/confirm_delete.html", {"profile": profile})


@portal_view
@require_POST
def studio_base_template(request, pk: str):
    profile = _profile(request, pk)
    data, errors = f.validate(f.TemplateFields, f.template_data(request.POST))
    if not errors:
        try:
            services.base_set_template(profile=profile, **data)
        except AppError as exc:
            errors = {"__all__": [exc.detail]}
    if errors:
        return _editor(request, profile, status=400, template_errors=f.error_lines(errors))
    messages.success(
        request, _("Base profile set to the template “%(name)s”.") % {"name": profile.base_profile_name}
    )
    return redirect(_editor_url(profile))


@portal_view
@require_POST
def studio_base_upload(request, pk: str):
    from apps.studio.meterfiles import MAX_FILE_BYTES

    profile = _profile(request, pk)
    upload = request.FILES.get("file")
    error = None
    if upload is None:
        error = _("Choose a meter file to upload.")
    elif upload.size > MAX_FILE_BYTES:
        error = _("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
    else:
        try:
            services.base_set_upload(profile=profile, content=upload.read(), filename=upload.name or "")
        except AppError as exc:
            error = exc.detail
            lines = (exc.errors or {}).get("file", [])[1:]
            if lines:
                error = f"{error} {' '.join(lines)}"
    if error:
        profile = _profile(request, pk)  # unchanged: show what is stored
        return _editor(request, profile, status=400, upload_errors=[error])
    messages.success(request, _("Meter file read. Check the parser's report below."))
    return redirect(_editor_url(profile, "base"))


@portal_view
@require_POST
def studio_layer_add(request, pk: str):
    profile = _profile(request, pk)
    preset_id = request.POST.get("preset_id", "")
    try:
        layer = services.layer_add(profile=profile, preset_id=preset_id)
    except AppError as exc:
        return _editor(request, profile, status=400, layer_errors=[exc.detail])
    messages.success(request, _("Layer “%(name)s” added.") % {"name": layer.name})
    return redirect("portal:studio_layer_edit", pk=profile.pk, layer_id=layer.pk)


def _layer_save(layer, fields: dict) -> dict[str, list[str]]:
    """Validate layer fields with the API serializer and save them through the service; the errors."""
    data, errors = f.validate(f.LayerFields, fields)
    if errors:
        return errors
    if not data.get("name"):
        data.pop("name", None)
    try:
        services.layer_update(layer=layer, **data)
    except AppError as exc:
        errors = {key: list(value) for key, value in (exc.errors or {}).items()} or {"__all__": [exc.detail]}
        errors.setdefault("__all__", [exc.detail])
    return errors


@portal_view
@require_http_methods(["GET", "POST"])
def studio_layer_edit(request, pk: str, layer_id: str):
    profile = _profile(request, pk)
    layer = _layer(profile, layer_id)
    errors: dict[str, list[str]] = {}
    values = f.layer_initial(layer)
    vehicles = linked_vehicles(organization=request.organization) if layer.kind == EV else []
    if request.method == "POST" and "vehicle_id" in request.POST:
        vehicle = next((v for v in vehicles if v["assetId"] == request.POST["vehicle_id"]), None)
        if vehicle is None:
            raise Http404("Vehicle not found.")
        fields = {
            "ev_config": ev_config_from_vehicle(
                capacity_kwh=vehicle["capacityKwh"], charger_kw=vehicle["chargerKw"]
            )
        }
        if fields["ev_config"]:
            errors = _layer_save(layer, fields)
        else:
            errors = {"__all__": [_("The linked vehicle states no battery capacity or charger power.")]}
        if not errors:
            messages.success(
                request,
                _("Electric car filled in from the linked vehicle “%(name)s”.") % {"name": vehicle["name"]},
            )
            return redirect("portal:studio_layer_edit", pk=profile.pk, layer_id=layer.pk)
    elif request.method == "POST":
        errors = _layer_save(layer, f.layer_data(request.POST, layer.kind))
        if not errors:
            messages.success(request, _("Layer “%(name)s” saved.") % {"name": layer.name})
            return redirect(_editor_url(profile, f"layer-{layer.pk}"))
        values = f.layer_posted(request.POST)
    context = {
        "profile": profile,
        "layer": layer,
        "kind_label": f.KIND_LABELS.get(layer.kind, layer.kind),
        "values": values,
        "errors": errors,
        "error_lines": f.error_lines(errors),
        "is_ev": layer.kind == EV,
        "is_solar": layer.kind == SOLAR,
        "stats": (layer.config or {}).get("ev_stats"),
        "vehicles": vehicles,
        **f.layer_form_context(values, layer.kind, errors),
    }
    return render(request, "portal/studio/layer_form.html", context, status=400 if errors else 200)


@portal_view
@require_POST
def studio_layer_toggle(request, pk: str, layer_id: str):
    """Switch a layer on or off (it stays in the profile; the totals and charts follow)."""
    profile = _profile(request, pk)
    layer = _layer(profile, layer_id)
    services.layer_update(layer=layer, enabled=not layer.enabled)
    if layer.enabled:
        messages.success(request, _("Layer “%(name)s” switched on.") % {"name": layer.name})
    else:
        messages.success(request, _("Layer “%(name)s” switched off.") % {"name": layer.name})
    return redirect(_editor_url(profile, "layers"))


@portal_view
@require_http_methods(["GET", "POST"])
def studio_layer_remove(request, pk: str, layer_id: str):
    profile = _profile(request, pk)
    layer = _layer(profile, layer_id)
    if request.method == "POST":
        services.layer_remove(layer=layer)
        messages.success(request, _("Layer “%(name)s” removed.") % {"name": layer.name})
        return redirect(_editor_url(profile, "layers"))
    return render(request, "portal/studio/layer_remove.html", {"profile": profile, "layer": layer})


@portal_view
@require_GET
def studio_export_csv(request, pk: str):
    profile = _profile(request, pk)
    if not profile.has_base:
        raise Http404("This profile has no base profile yet.")
    text = profile_csv(
        year=profile.year,
        result=unpack(profile.result),
        export=unpack(profile.export_result),
        production=unpack(profile.production_result),
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = slugify(profile.name) or profile.pk
    response["Content-Disposition"] = f'attachment; filename="studio-{name}-{profile.year}.csv"'
    return response
