"""Studio profile writes. Every change recomputes the result and the summary stats.

How the result is computed (``_recompute``), per hour h, all in kWh. The solar layer always describes
the home's EXISTING installation; what it does depends on the base:

* a measured base (a meter file or a device link: net grid import ``I_h`` and export ``E_h``): the
  measured data is never altered. The existing production ``P_h`` (a linked inverter's measured
  production when the base has one, else the solar layer's simulation) is reconciled with the meter
  (``apps.engine.reconstruction``): own use ``P'_h − E_h ≥ 0`` and gross consumption
  ``G_h = I_h + P'_h − E_h ≥ I_h``; import and export stay exactly as measured.
* a gross base (a template, or saved editor data without export): ``G_h`` is the base; the solar layer's
  production offsets it, giving the import and export the household has with those panels.

Load layers (EV, heat pump, pool, custom; sum ``L_h``) add to the gross consumption, and on the grid side
(``combine``) first use the hour's export (it was going to the grid anyway), the rest is imported:
``absorbed = min(L−P, E)`` when ``L ≥ P``; extra production first covers the hour's import, the rest is
exported. So ``import_h − export_h = I_h − E_h + L_h − P_h``, both ≥ 0, never both increased in one hour.

``result`` is the grid import, ``export_result`` the grid export, ``production_result`` the existing
production (reconciled), ``gross_result`` the gross consumption (what scans size for; the existing
production is the scan's existing PV). Summary stats: ``total_kwh = Σ result``, ``peak_kw = max result``
(hourly energy of a 1 h step = mean kW), ``total_export_kwh``, ``peak_export_kw`` likewise, computed from
the stored float32 arrays so they match every read.
"""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from apps.common.errors import AppError
from apps.common.ids import new_id
from apps.engine.reconstruction import Reconstruction, reconcile_production
from apps.engine.timebase import HOURS
from apps.engine.weather import Weather, get_provider
from apps.organizations.models import Organization
from apps.studio import layers as L
from apps.studio.layers.common import pack, unpack
from apps.studio.models import StudioLayer, StudioProfile
from apps.studio.templates_catalog import TEMPLATES, template_profile

DEFAULT_LAT = 52.09
DEFAULT_LON = 5.12
IDEMPOTENCY_WINDOW = timedelta(hours=24)
_ID_RE = re.compile(r"^c[a-z0-9]{24}$")


class StudioError(AppError):
    status = 400
    code = "invalid_studio_request"
    title = "Invalid studio request"


def _weather_for(profile: StudioProfile):
    """A lazy weather getter for the profile's location (the engine's default provider, offline)."""
    cached: list[Weather] = []

    def get() -> Weather:
        if not cached:
            cached.append(get_provider().get(profile.lat, profile.lon))
        return cached[0]

    return get


# --- Combination -------------------------------------------------------------------------------------


def combine(
    base: np.ndarray | None, base_export: np.ndarray | None, loads: list[np.ndarray], solar: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(import, export, production) [kWh, 8760 each]; see the module docstring."""
    imp = np.zeros(HOURS) if base is None else np.asarray(base, dtype=float)
    exp = np.zeros(HOURS) if base_export is None else np.asarray(base_export, dtype=float)
    load = np.sum(loads, axis=0) if loads else np.zeros(HOURS)
    production = np.sum(solar, axis=0) if solar else np.zeros(HOURS)
    delta = load - production
    up = np.maximum(delta, 0.0)
    down = np.maximum(-delta, 0.0)
    absorbed = np.minimum(up, exp)
    imp = imp + up - absorbed
    exp = exp - absorbed
    offset = np.minimum(down, imp)
    imp = imp - offset
    exp = exp + down - offset
    return np.maximum(imp, 0.0), np.maximum(exp, 0.0), production


def _reconstruction_summary(rec: Reconstruction) -> dict:
    """The engine's reconstruction as stored on the profile and shown in the report (snake_case, kWh
    rounded to 0.1)."""
    return {
        "method": "month-rank-matched days, daily floor at export, surplus-shaped own use",
        "simulated_production_kwh": round(rec.simulated_kwh, 1),
        "production_kwh": round(float(rec.production.sum()), 1),
        "own_use_kwh": round(float(rec.own_use.sum()), 1),
        "gross_kwh": round(float(rec.gross.sum()), 1),
        "raised_days": rec.raised_days,
        "year_factor": round(rec.year_factor, 4),
        "warning": rec.warning,
        "day_order": None if rec.day_order is None else [int(i) for i in rec.day_order],
    }


def _recompute(profile: StudioProfile, layers: list[StudioLayer] | None = None) -> None:
    """Combine base and layer data into the result and refresh the summary stats (no save)."""
    if layers is None:
        layers = list(profile.layers.all())
    loads, solar = [], []
    for layer in layers:
        if not layer.enabled or layer.data is None:
            continue
        (solar if layer.kind == L.SOLAR else loads).append(unpack(layer.data))
    base = unpack(profile.base_data)
    gross = None
    profile.reconstruction = {}
    if base is None:
        imp = exp = prod = None
    elif profile.is_measured_base:
        measured_export = unpack(profile.base_export)
        measured_export = np.zeros(HOURS) if measured_export is None else measured_export
        imp, exp, _ = combine(base, measured_export, loads, [])
        extra = np.sum(loads, axis=0) if loads else np.zeros(HOURS)
        measured_production = unpack(profile.base_production)
        existing = (
            measured_production
            if measured_production is not None
            else (np.sum(solar, axis=0) if solar else None)
        )
        if existing is None:
            prod, gross = None, base + extra
        else:
            rec = reconcile_production(
                base, measured_export, existing, measured=measured_production is not None
            )
            prod, gross = rec.production, rec.gross + extra
            profile.reconstruction = {
                **_reconstruction_summary(rec),
                "production_source": "measured" if measured_production is not None else "solar_layer",
                "measured_import_kwh": round(float(base.sum()), 1),
                "measured_export_kwh": round(float(measured_export.sum()), 1),
            }
    else:
        imp, exp, prod = combine(base, None, loads, solar)
        gross = base + (np.sum(loads, axis=0) if loads else 0.0)
    profile.result = pack(imp)
    profile.export_result = pack(exp)
    profile.production_result = pack(prod)
    profile.gross_result = pack(gross)
    stored_imp = unpack(profile.result)
    stored_exp = unpack(profile.export_result)
    profile.total_kwh = round(float(stored_imp.sum()), 3) if stored_imp is not None else 0.0
    profile.peak_kw = round(float(stored_imp.max()), 3) if stored_imp is not None else 0.0
    profile.total_export_kwh = round(float(stored_exp.sum()), 3) if stored_exp is not None else 0.0
    profile.peak_export_kw = round(float(stored_exp.max()), 3) if stored_exp is not None else 0.0
    profile.layer_count = len(layers)
    profile.has_solar_layer = any(layer.kind == L.SOLAR for layer in layers)


def _simulate(profile: StudioProfile, layer: StudioLayer, weather) -> None:
    data, config = L.simulate_layer(layer.kind, layer.config, weather, year=profile.year)
    layer.config = config
    layer.data = pack(data)
    layer.annual_kwh = round(float(unpack(layer.data).sum()), 3)


@transaction.atomic
def profile_recompute(*, profile: StudioProfile, resimulate: bool = False) -> StudioProfile:
    """Recompute the result; with ``resimulate`` first re-run every layer's simulation."""
    layers = list(profile.layers.all())
    if resimulate:
        weather = _weather_for(profile)
        for layer in layers:
            _simulate(profile, layer, weather)
        StudioLayer.objects.bulk_update(layers, ["config", "data", "annual_kwh"])
    _recompute(profile, layers)
    profile.save()
    return profile


# --- Profiles ------------------------------------------------------------------------------------------


def _default_name(organization: Organization) -> str:
    count = StudioProfile.objects.for_organization(organization).count()
    return f"Profiel {count + 1}"


@transaction.atomic
def profile_create(
    *,
    organization: Organization,
    user=None,
    name: str | None = None,
    year: int | None = None,
    lat: float | None = None,
    lon: float | None = None,
    idempotency_key: str | None = None,
) -> StudioProfile:
    """A new empty profile. A repeated ``idempotency_key`` (within IDEMPOTENCY_WINDOW) returns the profile
    the first call created instead of a second one."""
    if idempotency_key:
        earlier = (
            StudioProfile.objects.for_organization(organization)
            .filter(idempotency_key=idempotency_key, created_at__gte=timezone.now() - IDEMPOTENCY_WINDOW)
            .first()
        )
        if earlier is not None:
            return earlier
    return StudioProfile.objects.create(
        idempotency_key=(idempotency_key or "")[:100],
        organization=organization,
        user=user if getattr(user, "pk", None) else None,
        name=(name or "").strip() or _default_name(organization),
        year=year or timezone.now().year,
        lat=DEFAULT_LAT if lat is None else lat,
        lon=DEFAULT_LON if lon is None else lon,
    )


@transaction.atomic
def profile_update(
    *, profile: StudioProfile, name: str | None = None, year: int | None = None
) -> StudioProfile:
    if name is not None:
        if not name.strip():
            raise StudioError("The name must not be empty.", code="invalid", errors={"name": ["Required."]})
        profile.name = name.strip()
    if year is not None:
        profile.year = year
    profile.save(update_fields=["name", "year", "updated_at"])
    return profile


@transaction.atomic
def profile_duplicate(*, profile: StudioProfile, user=None, name: str | None = None) -> StudioProfile:
    """A copy with its base, layers (configs and data) and result; name "{name} (kopie)" by default."""
    layers = list(profile.layers.all())
    copy = StudioProfile.objects.get(pk=profile.pk)
    copy.pk = new_id()
    copy.user = user if getattr(user, "pk", None) else profile.user
    copy.name = (name or "").strip() or f"{profile.name} (kopie)"
    copy.idempotency_key = ""
    copy._state.adding = True
    copy.save(force_insert=True)
    for layer in layers:
        layer.pk = new_id()
        layer.profile = copy
        layer._state.adding = True
    StudioLayer.objects.bulk_create(layers)
    return copy


@transaction.atomic
def profile_delete(*, profile: StudioProfile) -> None:
    """Delete the profile and its layers; scans referencing it keep their copy (their FK is SET_NULL)."""
    profile.delete()


# --- Base profile ----------------------------------------------------------------------------------------


@transaction.atomic
def base_set_template(
    *, profile: StudioProfile, template_id: str, annual_kwh: float | None = None
) -> StudioProfile:
    if template_id not in TEMPLATES:
        raise StudioError(
            f"Unknown template {template_id!r}; use one of {', '.join(TEMPLATES)}.",
            code="unknown_template",
            errors={"templateId": [f"Must be one of: {', '.join(TEMPLATES)}."]},
        )
    if annual_kwh is not None and not (0 < annual_kwh <= 1_000_000):
        raise StudioError(
            "annualKwh must be between 0 and 1 000 000 kWh.",
            code="invalid",
            errors={"annualKwh": ["Out of range."]},
        )
    template = TEMPLATES[template_id]
    data = template_profile(template_id, annual_kwh)
    profile.base_profile_type = StudioProfile.BaseType.TEMPLATE
    profile.base_profile_name = template["label"]
    profile.base_template_id = template_id
    profile.base_meta = {
        "description": template["description"],
        "annual_kwh": float(annual_kwh if annual_kwh is not None else template["annual_kwh"]),
    }
    profile.base_data = pack(data)
    profile.base_export = profile.base_production = None
    profile.quarter_peaks = {}
    _recompute(profile)
    profile.save()
    return profile


def base_set_upload(*, profile: StudioProfile, content: bytes, filename: str = "") -> StudioProfile:
    """Parse a meter file and make it the base profile. A rejected file changes nothing (400 with the
    parser's code and message)."""
    from apps.studio.meterfiles import MeterFileError, finish, read_meter_grid, to_reference_year
    from apps.studio.meterfiles.quarter_peaks import QUARTER_S, monthly_peaks

    try:
        grid = read_meter_grid(content, filename)
        parsed = to_reference_year(finish(grid))
    except MeterFileError as exc:
        # The rejection in the uploader's language, as the parser's notes below.
        message = (
            exc.message.translated(
                gettext, lambda value, decimals: number_format(value, decimals, force_grouping=True)
            )
            if hasattr(exc.message, "translated")
            else exc.message
        )
        lines = [gettext("Lines: %(lines)s") % {"lines": ", ".join(map(str, exc.lines))}] if exc.lines else []
        raise StudioError(message, code=exc.code, errors={"file": [message, *lines]}) from exc
    # A 15-minute file's quarter-hour peaks come from its grid (the hourly profile hides them).
    peaks = monthly_peaks(grid) if grid.step_s == QUARTER_S else {}
    return _store_upload(profile=profile, parsed=parsed, filename=filename, quarter_peaks=peaks)


@transaction.atomic
def _store_upload(*, profile: StudioProfile, parsed, filename: str, quarter_peaks: dict) -> StudioProfile:
    report = parsed.report()
    # The parser's notes in the uploader's language (the API answers in English unless asked otherwise).
    report["warnings"] = [
        note.translated(gettext) if hasattr(note, "translated") else note for note in report["warnings"]
    ]
    profile.base_profile_type = StudioProfile.BaseType.UPLOAD
    profile.base_profile_name = (filename or f"Meterbestand ({parsed.format})")[:200]
    profile.base_template_id = ""
    profile.base_meta = {
        "description": f"Geüpload meterbestand ({parsed.format})",
        "filename": filename,
        "annual_kwh": round(parsed.total_consumption_kwh, 3),
        "annual_export_kwh": None if parsed.export_kwh is None else round(parsed.total_export_kwh, 3),
        "report": report,
    }
    profile.base_data = pack(parsed.consumption_kwh)
    profile.base_export = pack(parsed.export_kwh) if parsed.export_kwh is not None else None
    profile.base_production = None
    profile.quarter_peaks = quarter_peaks
    _recompute(profile)
    profile.save()
    return profile


# --- Layers ----------------------------------------------------------------------------------------------


def _check_unique(profile: StudioProfile, kind: str, exclude: str | None = None) -> None:
    if kind not in (L.SOLAR, L.EV):
        return
    others = profile.layers.filter(kind=kind)
    if exclude:
        others = others.exclude(pk=exclude)
    if others.exists():
        what = "solar" if kind == L.SOLAR else "EV"
        raise StudioError(
            f"This profile already has a {what} layer; only one {what} layer per profile is allowed.",
            code=f"duplicate_{'solar' if kind == L.SOLAR else 'ev'}_layer",
        )


def _require_base(profile: StudioProfile) -> None:
    if not profile.has_base:
        raise StudioError(
            "Set a base profile (template or meter file) before adding layers.", code="base_profile_required"
        )


def _apply_fields(layer: StudioLayer, fields: dict) -> None:
    for key in ("name", "enabled", "icon", "color"):
        if fields.get(key) is not None:
            setattr(layer, key, fields[key])
    config = dict(layer.config)
    for key in ("schedule", "hourly_kw", "max_kw"):
        if fields.get(key) is not None:
            config[key] = fields[key]
    if fields.get("solar_config") is not None:
        if layer.kind != L.SOLAR:
            raise StudioError(
                "solarConfig belongs to a solar layer.",
                code="invalid",
                errors={"solarConfig": ["Not a solar layer."]},
            )
        config["solar_config"] = {**(config.get("solar_config") or {}), **fields["solar_config"]}
        _check_solar_capacity(config["solar_config"])
    if fields.get("ev_config") is not None:
        if layer.kind != L.EV:
            raise StudioError(
                "evConfig belongs to an EV layer.", code="invalid", errors={"evConfig": ["Not an EV layer."]}
            )
        config["ev_config"] = {**(config.get("ev_config") or {}), **fields["ev_config"]}
    layer.config = config


def _check_solar_capacity(solar_config: dict) -> None:
    from apps.studio.layers.solar import surface_kwp

    surfaces = solar_config.get("roof_surfaces") or [solar_config]
    if sum(surface_kwp(surface) for surface in surfaces) <= 0:
        raise StudioError(
            "The solar layer needs a capacity: panelCount and panelPowerWatts, or systemCapacityKw.",
            code="invalid",
            errors={"solarConfig": ["Total capacity must be above 0 kWp."]},
        )


@transaction.atomic
def layer_add(*, profile: StudioProfile, preset_id: str, **fields) -> StudioLayer:
    if preset_id not in L.LAYER_PRESETS:
        raise StudioError(
            f"Unknown preset {preset_id!r}; use one of {', '.join(L.LAYER_PRESETS)}.",
            code="unknown_preset",
            errors={"presetId": [f"Must be one of: {', '.join(L.LAYER_PRESETS)}."]},
        )
    profile = StudioProfile.objects.select_for_update().get(pk=profile.pk)
    _require_base(profile)
    preset = L.LAYER_PRESETS[preset_id]
    _check_unique(profile, preset["type"])
    position = (profile.layers.aggregate(m=Max("position"))["m"] or 0) + 1
    layer = StudioLayer(
        profile=profile,
        position=position,
        kind=preset["type"],
        preset_id=preset_id,
        name=preset["name"],
        icon=preset["icon"],
        color=preset["color"],
        config=L.preset_config(preset_id),
    )
    _apply_fields(layer, fields)
    _simulate(profile, layer, _weather_for(profile))
    layer.save(force_insert=True)
    _recompute(profile)
    profile.save()
    return layer


@transaction.atomic
def layer_update(*, layer: StudioLayer, **fields) -> StudioLayer:
    profile = StudioProfile.objects.select_for_update().get(pk=layer.profile_id)
    _apply_fields(layer, fields)
    config_changed = any(
        fields.get(k) is not None for k in ("schedule", "hourly_kw", "max_kw", "solar_config", "ev_config")
    )
    if config_changed or layer.data is None:
        _simulate(profile, layer, _weather_for(profile))
    layer.save()
    _recompute(profile)
    profile.save()
    layer.profile = profile
    return layer


@transaction.atomic
def layer_remove(*, layer: StudioLayer) -> StudioProfile:
    profile = StudioProfile.objects.select_for_update().get(pk=layer.profile_id)
    layer.delete()
    _recompute(profile)
    profile.save()
    return profile


# --- Full editor state -------------------------------------------------------------------------------------


def _layer_kind(value: str) -> str:
    if value in L.PRESET_FOR_TYPE:
        return value
    if value in L.LAYER_PRESETS:
        return L.LAYER_PRESETS[value]["type"]
    aliases = {"ev": L.EV, "heatpump": L.HEAT_PUMP, "warmtepomp": L.HEAT_PUMP, "zwembad": L.POOL}
    if value in aliases:
        return aliases[value]
    raise StudioError(
        f"Unknown layer type {value!r}; use one of {', '.join(L.PRESET_FOR_TYPE)}.",
        code="invalid",
        errors={"studioState.layers.type": ["Unknown layer type."]},
    )


@transaction.atomic
def profile_save_state(
    *, profile: StudioProfile, studio_state: dict, year: int | None = None
) -> StudioProfile:
    """Replace base and layers with the editor's state and recompute.

    Base data and each layer's data are taken as sent (8760 values, validated by the serializer); a layer
    sent without data is simulated from its config. The client's ``result``/``exportResult``/
    ``productionResult`` are not trusted: the server recombines base and layers (same rule as always),
    so the stored result and the summary stats always agree.
    """
    profile = StudioProfile.objects.select_for_update().get(pk=profile.pk)
    base = studio_state.get("base_profile")
    layer_states = studio_state.get("layers") or []
    if not base and layer_states:
        raise StudioError("Layers need a base profile.", code="base_profile_required")
    if base:
        data = base.get("data")
        kind = base.get("type") or StudioProfile.BaseType.CUSTOM
        template_id = base.get("template_id") or ""
        if data is None:
            if kind != StudioProfile.BaseType.TEMPLATE or template_id not in TEMPLATES:
                raise StudioError(
                    "baseProfile.data is required unless the base is a known template.",
                    code="invalid",
                    errors={"studioState.baseProfile.data": ["Required."]},
                )
            data = template_profile(template_id, base.get("annual_kwh"))
        profile.base_profile_type = kind
        profile.base_profile_name = (
            base.get("name") or TEMPLATES.get(template_id, {}).get("label") or "Profiel"
        )[:200]
        profile.base_template_id = template_id
        meta = {k: base[k] for k in ("description", "annual_kwh") if base.get(k) is not None}
        if base.get("original_data") is not None:
            meta["has_original_data"] = True
        profile.base_meta = meta
        base_data = pack(np.asarray(data, dtype=float))
        if bytes(base_data) != bytes(profile.base_data or b""):
            profile.quarter_peaks = {}  # they belong to the uploaded data, kept while the editor keeps it
        profile.base_data = base_data
        export = base.get("export_data")
        profile.base_export = (
            pack(np.asarray(export, dtype=float)) if export is not None and len(export) else None
        )
        production = base.get("production_data")
        profile.base_production = (
            pack(np.asarray(production, dtype=float)) if production is not None and len(production) else None
        )
    else:
        profile.base_profile_type = ""
        profile.base_profile_name = ""
        profile.base_template_id = ""
        profile.base_meta = {}
        profile.base_data = profile.base_export = profile.base_production = None
        profile.quarter_peaks = {}
    if year is not None:
        profile.year = year

    kinds = [_layer_kind(state.get("type") or "") for state in layer_states]
    for unique in (L.SOLAR, L.EV):
        if kinds.count(unique) > 1:
            raise StudioError(
                f"Only one {'solar' if unique == L.SOLAR else 'EV'} layer per profile is allowed.",
                code=f"duplicate_{'solar' if unique == L.SOLAR else 'ev'}_layer",
            )
    profile.layers.all().delete()
    weather = _weather_for(profile)
    taken = set(
        StudioLayer.objects.filter(pk__in=[s.get("id") for s in layer_states if s.get("id")]).values_list(
            "pk", flat=True
        )
    )
    new_layers = []
    for position, (state, kind) in enumerate(zip(layer_states, kinds, strict=True), start=1):
        preset_id = L.PRESET_FOR_TYPE[kind]
        preset = L.LAYER_PRESETS[preset_id]
        config = {**L.preset_config(preset_id), **(state.get("config") or {})}
        icon = config.pop("icon", None) or preset["icon"]
        color = config.pop("color", None) or preset["color"]
        given = state.get("id") or ""
        layer = StudioLayer(
            id=given if _ID_RE.match(given) and given not in taken else new_id(),
            profile=profile,
            position=position,
            kind=kind,
            preset_id=preset_id,
            name=(state.get("name") or preset["name"])[:200],
            enabled=state.get("enabled", True),
            icon=icon,
            color=color,
            config=config,
        )
        taken.add(layer.id)
        if state.get("data") is not None and len(state["data"]):
            layer.data = pack(np.asarray(state["data"], dtype=float))
            layer.annual_kwh = round(float(unpack(layer.data).sum()), 3)
        else:
            _simulate(profile, layer, weather)
        new_layers.append(layer)
    StudioLayer.objects.bulk_create(new_layers)
    _recompute(profile, new_layers)
    profile.save()
    return profile
