"""The /v1 JSON body parser: camelCase → snake_case, with a nesting bound so a hostile body is a 400.

Python's json module and the camelCase conversion both recurse; a body nested thousands of levels deep
would raise RecursionError (a 500). No request of this API nests deeper than MAX_JSON_DEPTH.
"""

import json

from django.conf import settings
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from djangorestframework_camel_case.util import underscoreize
from rest_framework.exceptions import APIException, ParseError

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays/objects accepted in a request body [levels] (the deepest real body, a
studio state with layers and configs, nests 6)."""


def json_depth(value) -> int:
    """Nesting depth of parsed JSON, without recursion (1 for a flat object or array, 0 for a scalar)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class PayloadTooLarge(APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "too_large"


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class BoundedCamelCaseJSONParser(CamelCaseJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"The JSON body is larger than {limit // (1024 * 1024)} MB.")
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_reject_constant)
        except RecursionError as exc:
            raise ParseError(self._too_deep()) from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(self._too_deep())
        return underscoreize(data, **self.json_underscoreize)

    @staticmethod
    def _too_deep() -> str:
        return f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
