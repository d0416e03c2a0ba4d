"""drf-spectacular postprocessing for /v1: problem responses, OpenAPI links and the seed-extension marks.

* Every operation lists the RFC 9457 problem responses it can give (`Problem`, application/problem+json).
* Operations that create a resource link to the operations that take its id, so a client (or a
  stateful fuzzer) can chain them: `POST /v1/scans` → `GET /v1/scans/{id}` …
* What the product adds to the seed documents (operations, fields) carries `x-extension: true`.
"""

import re

from apps.common.api.errors import PROBLEM_CLASSES, PROBLEM_CONTENT_TYPE

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string", "description": "One title per error class (HTTP status)."},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "The specific reason, stable for clients."},
        "errors": {
            "type": "object",
            "description": "Per field (dotted path, e.g. newPv.0.maxPanelCount): the messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

# (method, path) of every operation in seeds/scans-api.txt and seeds/studio-profiles-api.txt
SEED_OPERATIONS = {
    ("get", "/v1/scans"),
    ("post", "/v1/scans"),
    ("get", "/v1/scans/{id}"),
    ("delete", "/v1/scans/{id}"),
    ("get", "/v1/scans/{id}/adjustments"),
    ("get", "/v1/scans/{id}/branding"),
    ("get", "/v1/scans/{id}/breakdown"),
    ("get", "/v1/scans/{id}/status"),
    ("post", "/v1/scans/{id}/share"),
    ("delete", "/v1/scans/{id}/share"),
    ("get", "/v1/scans/shared/{token}"),
    ("get", "/v1/studio-profiles"),
    ("post", "/v1/studio-profiles"),
    ("get", "/v1/studio-profiles/presets"),
    ("get", "/v1/studio-profiles/{id}"),
    ("put", "/v1/studio-profiles/{id}"),
    ("patch", "/v1/studio-profiles/{id}"),
    ("delete", "/v1/studio-profiles/{id}"),
    ("get", "/v1/studio-profiles/{id}/chart"),
    ("get", "/v1/studio-profiles/{id}/export-csv"),
    ("post", "/v1/studio-profiles/{id}/duplicate"),
    ("post", "/v1/studio-profiles/{id}/base"),
    ("post", "/v1/studio-profiles/{id}/base/upload"),
    ("post", "/v1/studio-profiles/{id}/layers"),
    ("patch", "/v1/studio-profiles/{id}/layers/{layerId}"),
    ("delete", "/v1/studio-profiles/{id}/layers/{layerId}"),
}

# The seed's fields of the request/response components built from serializers; any other property of
# these components is the product's extension.
SEED_FIELDS = {
    "ScanCreate": {
        "location", "yearlyKwh", "yearlyExportKwh", "loadProfile", "inputMethod", "customProfileId",
        "existingPv", "newPv", "tariff", "electricBattery", "goal", "renewableElectricityMinFraction",
        "analysisYears", "copiedFromId", "includePvMaintenanceCosts", "includeBatteryMaintenanceCosts",
    },
    "ExistingPv": {"name", "panelCount", "panelPowerWatts", "tiltAngle", "orientationAngle", "systemLosses"},
    "NewPv": {
        "name", "minPanelCount", "maxPanelCount", "panelPowerWatts", "tiltAngle", "orientationAngle",
        "costPerKwp", "systemLosses",
    },
    "Tariff": {"type", "flatEurPerKwh", "feedInEurPerKwh", "taxesIncluded"},
    "Battery": {
        "powerRatingKw", "capacityKwh", "minCapacityKwh", "minPowerRatingKw", "minimumChargeLevel",
        "roundtripEfficiency", "costPerKwh", "brandName", "modelName",
    },
    "ScanListItem": {
        "id", "status", "createdAt", "goal", "hasError", "errorMessage", "hasSeenReport", "selfSufficiency",
        "returnPeriod", "co2SavedKg", "isAdjustment", "adjustmentCount",
    },
    "ScanStatus": {"id", "status", "errorMessage", "createdAt"},
}  # fmt: skip

_WRITE_METHODS = {"post", "put", "patch", "delete"}


def _problem_response(status: int) -> dict:
    return {
        "description": str(PROBLEM_CLASSES[status][1]),
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _problem_statuses(method: str, path: str, operation: dict) -> list[int]:
    """The error classes an operation can answer with (see apps.common.api.errors.PROBLEM_CLASSES)."""
    statuses = [400, 429]
    if any(requirement for requirement in operation.get("security", [{}])):
        statuses += [401, 403]
    elif path.startswith("/v1/auth/"):
        statuses.append(401)  # wrong credentials or token
    if "{" in path or "requestBody" in operation:
        statuses.append(404)  # the resource in the path, or one the body refers to (dossierId …)
    if method in _WRITE_METHODS or "{" in path:
        statuses.append(409)
    if "requestBody" in operation:
        statuses += [413, 415]
    if path.startswith("/v1/scans/shared/"):
        statuses.append(410)  # a share link the installer withdrew
    if method == "post" and (path.endswith("/share") or path == "/v1/proposals"):
        statuses.append(402)
    return sorted(statuses)


def _collection(path: str) -> str:
    return path.split("/{", 1)[0]


def _links(paths: dict) -> None:
    """Creating operations (201 with an `id`) → every operation of the same collection taking `{id}`."""
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method != "post":
                continue
            collection = _collection(path)
            targets = {
                other["operationId"]: other_path
                for other_path, others in paths.items()
                if other_path.startswith(collection + "/{id}")
                and re.findall(r"{(\w+)}", other_path) == ["id"]
                for other in others.values()
            }
            for code in ("201", "200"):
                response = operation["responses"].get(code)
                if response is None or "content" not in response or code == "200" and path != collection:
                    continue
                links = response.setdefault("links", {})
                for operation_id in targets:
                    links.setdefault(
                        operation_id,
                        {"operationId": operation_id, "parameters": {"id": "$response.body#/id"}},
                    )


def _list_links(paths: dict) -> None:
    """A list envelope (`items`) → the id-bearing operations of its collection, for its first item."""
    for path, operations in paths.items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        response = operation["responses"].get("200", {})
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" not in schema:
            continue
        links = response.setdefault("links", {})
        for other_path, others in paths.items():
            if other_path.startswith(path + "/{id}") and re.findall(r"{(\w+)}", other_path) == ["id"]:
                for other in others.values():
                    links.setdefault(
                        other["operationId"],
                        {
                            "operationId": other["operationId"],
                            "parameters": {"id": "$response.body#/items/0/id"},
                        },
                    )


def _extra_links(paths: dict) -> None:
    """Ids that come from a body other than a creation: a layer of a profile, a scan's share token."""
    profile = paths.get("/v1/studio-profiles/{id}", {}).get("get")
    layer_ops = paths.get("/v1/studio-profiles/{id}/layers/{layerId}", {})
    if profile:
        links = profile["responses"]["200"].setdefault("links", {})
        for operation in layer_ops.values():
            links[operation["operationId"]] = {
                "operationId": operation["operationId"],
                "parameters": {"id": "$request.path.id", "layerId": "$response.body#/layers/0/id"},
            }
    share = paths.get("/v1/scans/{id}/share", {}).get("post")
    shared = paths.get("/v1/scans/shared/{token}", {}).get("get")
    if share and shared:
        share["responses"]["200"].setdefault("links", {})[shared["operationId"]] = {
            "operationId": shared["operationId"],
            "parameters": {"token": "$response.body#/shareToken"},
        }


def _mark_extensions(result: dict) -> None:
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/v1/") and (method, path) not in SEED_OPERATIONS:
                operation["x-extension"] = True
                operation["description"] = (
                    operation.get("description", "") + "\n\nExtension to the seed API."
                ).strip()
    schemas = result.get("components", {}).get("schemas", {})
    for name, seed_fields in SEED_FIELDS.items():
        for prop, schema in schemas.get(name, {}).get("properties", {}).items():
            if prop not in seed_fields and "$ref" not in schema:
                schema["x-extension"] = True


def problem_responses_links_and_extensions(result, generator, request, public):
    """drf-spectacular postprocessing hook (after camelization)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    paths = result.get("paths", {})
    for path, operations in paths.items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _problem_statuses(method, path, operation):
                responses.setdefault(str(status), _problem_response(status))
    _links(paths)
    _list_links(paths)
    _extra_links(paths)
    _mark_extensions(result)
    return result
