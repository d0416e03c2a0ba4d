"""The seed's list shape: {items, total, page, limit, totalPages}; page from 1, limit capped."""

import math

from django.conf import settings
from django.db.models import Count, QuerySet, Window
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from apps.common.prepared import PreparedValues

DEFAULT_LIMIT = 20
MAX_PAGE = 1_000_000
"""Highest page number accepted: far past any real list, and keeps the row offset a small integer."""


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=1)
    limit = serializers.IntegerField(min_value=1, required=False, default=DEFAULT_LIMIT)


class PagePagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        rows, self.total = self.page_and_total(queryset, self.parse_page(request))
        return rows

    def parse_page(self, request) -> int:
        """Read `page` and `limit` (400 naming the parameter if invalid); the page's first row index."""
        query = PageQuerySerializer(
            data={k: v for k, v in request.query_params.items() if k in ("page", "limit")}
        )
        query.is_valid(raise_exception=True)
        self.page = query.validated_data["page"]
        self.limit = min(query.validated_data["limit"], settings.API_PAGE_SIZE_MAX)
        return (self.page - 1) * self.limit

    def page_and_total(self, queryset, start: int) -> tuple[list, int]:
        """The page's rows from `start` and the number of rows in the whole list."""
        return list(queryset[start : start + self.limit]), queryset.count()

    def get_paginated_response(self, data):
        return Response(
            {
                "items": data,
                "total": self.total,
                "page": self.page,
                "limit": self.limit,
                "total_pages": math.ceil(self.total / self.limit) if self.total else 0,
            }
        )

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Page number (1-based)",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Items per page (values above {settings.API_PAGE_SIZE_MAX} are capped)",
                "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["items", "total", "page", "limit", "totalPages"],
            "properties": {
                "items": schema,
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "limit": {"type": "integer", "minimum": 1},
                "totalPages": {"type": "integer", "minimum": 0},
            },
        }


TOTAL = "page_window_total"


def with_window_total(queryset: QuerySet) -> QuerySet:
    """Each row also carries the whole list's row count (`COUNT(*) OVER ()`), for `PreparedPagePagination`.
    Only without DISTINCT or a set operation: the window counts the rows before those apply."""
    return queryset.annotate(**{TOTAL: Window(Count("*"))})


class PreparedPagePagination(PagePagination):
    """The same pages, read from a `PreparedValues` built on `with_window_total`: the page and the list's
    total in one query compiled once per process, instead of a page query and a `COUNT(*)` compiled on every
    request (issue 18: `GET /v1/scans`). A page past the end has no row to carry the total: only then is the
    first row read for it."""

    def paginate_prepared(self, statement: PreparedValues, request, **values) -> list[dict]:
        start = self.parse_page(request)
        rows = statement.run(limit=self.limit, offset=start, **values)
        carrier = rows or (statement.run(limit=1, offset=0, **values) if start else [])
        self.total = carrier[0][TOTAL] if carrier else 0
        for row in rows:
            del row[TOTAL]
        return rows


def page_envelope(
    name: str, item: type[serializers.Serializer], *, doc: str = ""
) -> type[serializers.Serializer]:
    """The list envelope {items, total, page, limit, totalPages} of a paginated GET, for its OpenAPI schema:
    one definition for every list, `name` its component (e.g. "ScanListPageSerializer" → ScanListPage)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": doc,
            "__module__": item.__module__,
            "items": item(many=True),
            "total": serializers.IntegerField(min_value=0),
            "page": serializers.IntegerField(min_value=1),
            "limit": serializers.IntegerField(min_value=1),
            "total_pages": serializers.IntegerField(min_value=0),
        },
    )
