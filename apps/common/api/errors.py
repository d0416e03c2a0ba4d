"""One JSON error shape for /v1: RFC 9457 problem details with per-field errors in camelCase."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel
from rest_framework import exceptions
from rest_framework.response import Response

from apps.common.errors import AppError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://solarscan.app/problems/"


def problem(status: int, code: str, title: str, detail: str, errors: dict | None = None) -> dict:
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return body


def camel(name: str) -> str:
    return camelize_re.sub(underscore_to_camel, name)


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested ValidationError detail → {"a.b.0.c": ["message", ...]} with camelCase names."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = camel(str(key)) if key != "non_field_errors" else "body"
            out.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "body": [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            if item:
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "body": [str(detail)]}


def _summary(errors: dict[str, list[str]]) -> str:
    return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())


def problem_exception_handler(exc, context):
    """DRF exception handler: every error under /v1 becomes application/problem+json."""
    if isinstance(exc, AppError):
        body = problem(exc.status, exc.code, exc.title, exc.detail, exc.errors)
        return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django's handler500 answers with a problem body and it is logged

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(exc.wait) + 1)

    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body = problem(400, "invalid", "Invalid request", _summary(errors), errors)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
        body = problem(exc.status_code, code, str(exc.default_detail).rstrip("."), str(detail))
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
