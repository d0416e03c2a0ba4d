"""The scan form's values ↔ the API body: POST values (camelCase paths such as `newPv.0.tiltAngle`, numbers
as people type them) to the snake_case body `apps.scans.submission.scan_submit` takes, and a stored scan's
inputs back to form values. No validation rule lives here: the serializer judges the body."""

from __future__ import annotations

import re

from django.utils import translation
from djangorestframework_camel_case.util import underscoreize

from apps.common.casing import to_camel
from apps.portal.scan_form import LATEST_PRICE_YEAR, default_values, display, row_indexes
from apps.scans import flow
from apps.scans.services import STEP_FIELDS

BOOLEAN_FIELDS = {
    "tariff.taxesIncluded",
    "tariff.capacityTariff",
    "electricBattery.gridCharging",
    "includePvMaintenanceCosts",
    "includeBatteryMaintenanceCosts",
}
# Select values that stand for "leave the input out" (the API then applies its own default).
OMITTED_CHOICES = {("netMetering", "auto"), ("priceYear", LATEST_PRICE_YEAR)}
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
# Thousands grouping as people type it: Dutch "3.500" / "12.500,5", English "3,500" / "12,500.5". The first
# group never starts with 0, so a price such as "0.025" is never read as grouped.
GROUPED = {
    "nl": re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$"),
    "en": re.compile(r"^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$"),
}
TEXT_LEAVES = {"name", "brandName", "modelName", "customProfileId"}


def values_from_inputs(inputs: dict) -> dict[str, str]:
    """A stored scan's inputs (snake_case) → form values, e.g. to adjust a completed scan."""
    values: dict[str, str] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{to_camel(key)}" if prefix else to_camel(key), item)
        elif isinstance(value, list) and prefix in ("existingPv", "newPv"):
            for index, item in enumerate(value):
                walk(f"{prefix}.{index}", item)
        elif not isinstance(value, list):
            values[prefix] = display(value)

    walk("", {k: v for k, v in inputs.items() if k not in ("discount_rate", "price_escalation")})
    values["batteryEnabled"] = "on" if inputs.get("electric_battery") else ""
    if not inputs.get("electric_battery"):
        for key, value in default_values().items():
            if key.startswith("electricBattery."):
                values[key] = value
    return values


def values_from_post(post) -> dict[str, str]:
    return {key: value.strip() for key, value in post.items() if key != "csrfmiddlewaretoken"}


def body_from_values(values: dict[str, str], *, only_steps: set[str] | None = None) -> dict:
    """Form values → the POST /v1/scans body (snake_case, as scan_submit takes it). Empty inputs are left
    out so the serializer applies its defaults, and so are the inputs of the choices not taken (the form
    posts them all; apps.scans.flow says which belong to which choice). `only_steps` keeps the inputs of
    those steps only (an adjustment sends what may change; the rest comes from the original)."""
    body: dict = {}
    battery = bool(values.get("batteryEnabled"))
    language = "en" if (translation.get_language() or "nl").startswith("en") else "nl"
    for key, raw in values.items():
        if key == "batteryEnabled" or key.startswith("_") or key in BOOLEAN_FIELDS or raw == "":
            continue
        top, leaf = key.split(".")[0], key.split(".")[-1]
        if top == "electricBattery" and not battery:
            continue
        if top == "tariff" and (leaf, raw) in OMITTED_CHOICES:
            continue
        if top != "location" and leaf not in TEXT_LEAVES:
            raw = localised_number(raw, language)
        elif DECIMAL_COMMA.match(raw):  # Dutch and Belgian users type 52,09
            raw = raw.replace(",", ".")
        _put(body, key, raw)
    for key in BOOLEAN_FIELDS:
        if key.startswith("electricBattery.") and not battery:
            continue
        _put(body, key, bool(values.get(key)))
    if not battery:
        body["electricBattery"] = None
    for prefix in ("existingPv", "newPv"):
        rows = body.get(prefix)
        body[prefix] = [rows[i] for i in sorted(rows)] if isinstance(rows, dict) else []
    body = flow.without_other_choices(underscoreize(body))
    if only_steps is not None:  # the service's own map of what each adjustable step covers
        keep = {name for step in only_steps for name in STEP_FIELDS.get(step, ())}
        body = {name: value for name, value in body.items() if name in keep}
    return body


def localised_number(raw: str, language: str) -> str:
    """A number typed in the portal's language → the API's notation (dot decimal, no grouping).

    nl: "3.500" → "3500", "1.234,5" → "1234.5", "0,28" → "0.28"; en: "3,500" → "3500", "0.28" stays.
    A decimal comma is accepted in English too ("0,28"); anything else is passed on for the serializer
    to judge."""
    if GROUPED[language].match(raw):
        separator = "." if language == "nl" else ","
        raw = raw.replace(separator, "")
    if DECIMAL_COMMA.match(raw):
        raw = raw.replace(",", ".")
    return raw


def _put(body: dict, path: str, value) -> None:
    parts = path.split(".")
    node = body
    for i, part in enumerate(parts[:-1]):
        key = int(part) if part.isdigit() else part
        if parts[0] in ("existingPv", "newPv") and i == 0:
            node = node.setdefault(part, {})
            continue
        node = node.setdefault(key, {})
    last = parts[-1]
    if last.isdigit():
        last = int(last)
    node[last] = value


def normalise_rows(values: dict[str, str]) -> dict[str, str]:
    """Renumber PV rows 0, 1, 2… (a removed middle row leaves a gap) so error paths match the inputs."""
    out = {}
    for key, value in values.items():
        if not re.match(r"^(existingPv|newPv)\.\d+\.", key):
            out[key] = value
    for prefix in ("existingPv", "newPv"):
        for new, old in enumerate(row_indexes(values, prefix)):
            head = f"{prefix}.{old}."
            for key, value in values.items():
                if key.startswith(head):
                    out[f"{prefix}.{new}.{key[len(head) :]}"] = value
    return out
