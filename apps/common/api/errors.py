"""One JSON error shape for /v1: RFC 9457 problem details with per-field errors in camelCase."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response

from apps.common.casing import to_camel
from apps.common.errors import AppError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://solarscan.app/problems/"

# One problem type and title per error class (HTTP status); `code` keeps the specific reason. The title is in
# the caller's language (Accept-Language; English by default on the API), like the detail.
PROBLEM_CLASSES: dict[int, tuple[str, str]] = {
    400: ("invalid-request", _("Invalid request")),
    401: ("unauthenticated", _("Authentication required")),
    402: ("payment-required", _("Paid plan required")),
    403: ("forbidden", _("Forbidden")),
    404: ("not-found", _("Not found")),
    405: ("method-not-allowed", _("Method not allowed")),
    406: ("not-acceptable", _("Not acceptable")),
    409: ("conflict", _("Conflict")),
    410: ("gone", _("Gone")),
    413: ("payload-too-large", _("Request too large")),
    415: ("unsupported-media-type", _("Unsupported media type")),
    429: ("too-many-requests", _("Too many requests")),
    500: ("server-error", _("Server error")),
    502: ("upstream-error", _("Upstream service failed")),
    503: ("unavailable", _("Service unavailable")),
}


def problem(status: int, code: str, title: str, detail: str, errors: dict | None = None) -> dict:
    """A problem body; `title` is used only for a status without a class in PROBLEM_CLASSES."""
    slug, class_title = PROBLEM_CLASSES.get(status, (code, title))
    body = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": str(class_title),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return body


def flatten_errors(
    detail, prefix: str = "", *, camel_case: bool = True, root: str = "body"
) -> dict[str, list[str]]:
    """DRF's nested ValidationError detail → {"a.b.0.c": ["message", ...]}.

    Field names are camelCased for the API (`camel_case=False` keeps the serializer's names, for forms);
    errors not tied to one field are filed under the object's own path (`root` at the top level).
    """
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if key == "non_field_errors":
                path = prefix or root
            else:
                name = to_camel(str(key)) if camel_case else str(key)
                path = f"{prefix}.{name}" if prefix else name
            for field, messages in flatten_errors(value, path, camel_case=camel_case, root=root).items():
                out.setdefault(field, []).extend(messages)
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or root: [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            if item:
                key = f"{prefix}.{index}" if prefix else str(index)
                out.update(flatten_errors(item, key, camel_case=camel_case, root=root))
        return out
    return {prefix or root: [str(detail)]}


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
        errors = flatten_errors(exc.detail)
        body = problem(400, "invalid", "Invalid request", _summary(errors), errors)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
        body = problem(exc.status_code, code, str(detail).rstrip("."), str(detail))
    return Response(body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
