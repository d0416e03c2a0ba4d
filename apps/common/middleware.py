"""API requests get English by default (portal pages keep Dutch) and a JSON body for unhandled errors."""

import logging
from contextvars import ContextVar

from django.http import JsonResponse
from django.utils import translation

from apps.common.api.errors import PROBLEM_CONTENT_TYPE, problem
from apps.common.casing import to_camel

logger = logging.getLogger("solarscan.api")
_current_request: ContextVar = ContextVar("current_request", default=None)


def request_base_url() -> str | None:
    """The scheme and host the current request came in on (e.g. "http://10.0.0.5:8080"), or None outside a
    request: vendor redirects go back to the address the server actually runs on."""
    request = _current_request.get()
    if request is None:
        return None
    try:
        return request.build_absolute_uri("/").rstrip("/")
    except Exception:  # DisallowedHost: no usable address
        return None


API_PREFIXES = ("/v1/", "/hooks/")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


NUL_DETAIL = "Query parameters must not contain the NUL character (U+0000)."


def _nul_query_parameters(request) -> list[str]:
    """Query parameters whose name or value holds NUL (U+0000): PostgreSQL refuses it in any lookup (a 500
    otherwise). Bodies need no such check: DRF's text fields refuse NUL, naming the field."""
    return sorted(
        {
            to_camel(key)
            for key, values in request.GET.lists()
            if "\x00" in key or any("\x00" in v for v in values)
        }
    )


class ApiDefaultsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_path(request.path) and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
        if is_api_path(request.path):
            refused = _nul_query_parameters(request)
            if refused:
                body = problem(
                    400, "invalid", "Invalid request", NUL_DETAIL, {k: [NUL_DETAIL] for k in refused}
                )
                return JsonResponse(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        body = problem(
            500, "server_error", "Server error", "An unexpected error occurred; it has been logged."
        )
        return JsonResponse(body, status=500, content_type=PROBLEM_CONTENT_TYPE)
