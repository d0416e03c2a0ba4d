"""The studio editor's form handling: POST fields → the studio API's serializers (one set of rules).

The portal forms only read the browser's fields (checkbox grid, 24 pattern inputs, decimal commas) into
the shapes the API validates; every range and shape check is the API serializer's, every write a service.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from apps.common.api.errors import flatten_errors
from apps.studio.api import serializers as s
from apps.studio.layers import EV, SOLAR

DAY_LABELS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
MONTH_LABELS = [
    _("Jan"),
    _("Feb"),
    _("Mar"),
    _("Apr"),
    _("May"),
    _("Jun"),
    _("Jul"),
    _("Aug"),
    _("Sep"),
    _("Oct"),
    _("Nov"),
    _("Dec"),
]
EV_FIELDS = [
    ("count", _("Number of cars"), "1"),
    ("battery_kwh", _("Battery capacity (kWh)"), "0.1"),
    ("daily_consumption_kwh", _("Driving consumption per driving day (kWh)"), "0.1"),
    ("arrival_hour", _("Arrives home at (hour)"), "1"),
    ("departure_hour", _("Leaves at (hour)"), "1"),
    ("charger_power_kw", _("Charger power (kW)"), "0.1"),
]
SOLAR_FIELDS = [
    ("panel_count", _("Number of panels"), "1"),
    ("panel_power_watts", _("Panel power (Wp)"), "1"),
    ("system_capacity_kw", _("System capacity (kWp), used without a panel count"), "0.01"),
    ("tilt", _("Tilt (°)"), "1"),
    ("azimuth", _("Azimuth (°, 180 = south)"), "1"),
    ("losses", _("System losses (%)"), "0.1"),
]
KIND_LABELS = {
    "ev_charger": _("Electric car"),
    "heat_pump": _("Heat pump"),
    "pool": _("Swimming pool"),
    "custom": _("Custom consumption"),
    "solar": _("Solar panels"),
}
FIELD_LABELS = {
    "name": _("Name"),
    "schedule": _("Schedule"),
    "hourly_kw": _("Hourly pattern"),
    "max_kw": _("Maximum power"),
    "ev_config": _("Electric car"),
    "solar_config": _("Solar panels"),
    "template_id": _("Template"),
    "annual_kwh": _("Annual consumption"),
}


def _number(value: str | None) -> str | None:
    """A browser number as the serializer reads it: trimmed, decimal comma → dot; blank → None."""
    value = (value or "").strip().replace(",", ".")
    return value or None


def validate(serializer_class, data: dict) -> tuple[dict | None, dict[str, list[str]]]:
    """(validated data, {}) or (None, flattened errors)."""
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return dict(serializer.validated_data), {}
    return None, flatten_errors(serializer.errors, camel_case=False, root="__all__")


def template_data(post) -> dict:
    return {"template_id": post.get("template_id", ""), "annual_kwh": _number(post.get("annual_kwh"))}


def layer_data(post, kind: str) -> dict:
    """The layer edit form's fields in the shape of ``LayerFieldsSerializer``."""
    data: dict = {
        "name": (post.get("name") or "").strip(),
        "enabled": post.get("enabled") == "on",
        "schedule": [[post.get(f"s-{d}-{m}") == "on" for m in range(12)] for d in range(7)],
    }
    hourly = [_number(post.get(f"h-{h}")) for h in range(24)]
    data["hourly_kw"] = [value if value is not None else "" for value in hourly]
    max_kw = _number(post.get("max_kw"))
    if max_kw is not None:
        data["max_kw"] = max_kw
    if kind == EV:
        data["ev_config"] = {
            key: value for key, _l, _s in EV_FIELDS if (value := _number(post.get(f"ev-{key}"))) is not None
        }
    if kind == SOLAR:
        data["solar_config"] = {
            key: value
            for key, _l, _s in SOLAR_FIELDS
            if (value := _number(post.get(f"pv-{key}"))) is not None
        }
    return data


def layer_initial(layer) -> dict:
    """What the edit form shows for a stored layer (or the values just posted, see ``layer_posted``)."""
    config = layer.config or {}
    return {
        "name": layer.name,
        "enabled": layer.enabled,
        "schedule": config.get("schedule") or [[True] * 12 for _d in range(7)],
        "hourly_kw": config.get("hourly_kw") or [0.0] * 24,
        "max_kw": config.get("max_kw") or 0,
        "ev": config.get("ev_config") or {},
        "pv": config.get("solar_config") or {},
    }


def layer_posted(post) -> dict:
    """The posted values, to show a rejected form as the user left it."""
    return {
        "name": post.get("name", ""),
        "enabled": post.get("enabled") == "on",
        "schedule": [[post.get(f"s-{d}-{m}") == "on" for m in range(12)] for d in range(7)],
        "hourly_kw": [post.get(f"h-{h}", "") for h in range(24)],
        "max_kw": post.get("max_kw", ""),
        "ev": {key: post.get(f"ev-{key}", "") for key, _l, _s in EV_FIELDS},
        "pv": {key: post.get(f"pv-{key}", "") for key, _l, _s in SOLAR_FIELDS},
    }


def layer_form_context(values: dict, kind: str, errors: dict[str, list[str]]) -> dict:
    """Rows for the template: the 7×12 grid, the 24 pattern inputs and the EV / solar fields."""
    schedule = values["schedule"]
    grid = [
        {
            "label": DAY_LABELS[d],
            "index": d,
            "cells": [{"month": m, "label": MONTH_LABELS[m], "on": bool(schedule[d][m])} for m in range(12)],
        }
        for d in range(7)
    ]
    hourly = [
        {"hour": h, "value": values["hourly_kw"][h], "error": bool(errors.get(f"hourly_kw.{h}"))}
        for h in range(24)
    ]
    ev = (
        [
            {
                "key": key,
                "label": label,
                "step": step,
                "value": values["ev"].get(key, ""),
                "errors": errors.get(f"ev_config.{key}", []),
            }
            for key, label, step in EV_FIELDS
        ]
        if kind == EV
        else []
    )
    pv = (
        [
            {
                "key": key,
                "label": label,
                "step": step,
                "value": values["pv"].get(key, ""),
                "errors": errors.get(f"solar_config.{key}", []),
            }
            for key, label, step in SOLAR_FIELDS
        ]
        if kind == SOLAR
        else []
    )
    return {"grid": grid, "months": MONTH_LABELS, "hourly": hourly, "ev_fields": ev, "pv_fields": pv}


def error_lines(errors: dict[str, list[str]]) -> list[str]:
    """Flattened errors as readable lines: "Hourly pattern (hour 3): …"."""
    lines = []
    for key, messages in errors.items():
        field, _sep, rest = key.partition(".")
        field = re.sub(r"(?<!^)([A-Z])", r"_\1", field).lower()  # the services' camelCase keys
        label = str(FIELD_LABELS.get(field, field if field != "__all__" else ""))
        if field == "hourly_kw" and rest:
            label = f"{label} ({_('hour')} {rest})"
        elif rest:
            label = f"{label} ({rest})"
        for message in messages:
            lines.append(f"{label}: {message}" if label else message)
    return lines


LayerFields = s.LayerFieldsSerializer
TemplateFields = s.BaseTemplateSerializer
RenameFields = s.RenameSerializer
CreateFields = s.CreateProfileSerializer
