"""Studio profile endpoints (thin: validate, call a service or selector, serialize)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify
from djangorestframework_camel_case.parser import CamelCaseFormParser, CamelCaseMultiPartParser
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from apps.common.api.strict import STRICT_TYPES
from apps.common.errors import AppError
from apps.organizations.api.views import TenantScopedViewSet
from apps.studio import selectors, services
from apps.studio.api import serializers as s
from apps.studio.charts import ChartError
from apps.studio.csv_export import profile_csv
from apps.studio.layers import LAYER_PRESETS
from apps.studio.layers.common import unpack
from apps.studio.models import StudioProfile
from apps.studio.templates_catalog import TEMPLATES

_HOURLY_24 = {"type": "array", "items": {"type": "number"}, "minItems": 24, "maxItems": 24}
PRESETS_SCHEMA = {
    "type": "object",
    "required": ["templates", "layerPresets"],
    "properties": {
        "templates": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "label", "description", "annualKwh", "icon"],
                "properties": {
                    **{key: {"type": "string"} for key in ("id", "label", "description", "icon")},
                    "annualKwh": {"type": "number"},
                },
            },
        },
        "layerPresets": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "icon", "color", "maxKw", "defaultHourlyKw"],
                "properties": {
                    **{
                        key: {"type": "string"}
                        for key in ("id", "type", "name", "description", "icon", "color")
                    },
                    "maxKw": {"type": "number"},
                    "defaultHourlyKw": _HOURLY_24,
                    "defaultSchedule": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "boolean"}},
                    },
                    "defaultEvConfig": {"type": "object"},
                    "defaultSolarConfig": {"type": "object"},
                },
            },
        },
    },
}
"""GET /v1/studio-profiles/presets, as the seed's example (type, description and the defaults are extra)."""


def _valid(serializer_class, data, **context) -> dict:
    serializer = serializer_class(data=data, context={STRICT_TYPES: True, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class StudioProfileViewSet(TenantScopedViewSet):
    """`/v1/studio-profiles…`: every lookup goes through the tenant-scoped queryset (404 outside it)."""

    queryset = StudioProfile.objects.all()
    serializer_class = s.StudioProfileSerializer
    http_method_names = ["get", "post", "patch", "put", "delete"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.studio_profile_list(organization=self.request.organization)
        return super().get_queryset()

    def get_serializer_class(self):
        if self.action == "list":
            return s.StudioProfileListSerializer
        if self.action == "retrieve":
            return s.StudioProfileFullSerializer
        return s.StudioProfileSerializer

    def _summary(self, profile, code=status.HTTP_200_OK) -> Response:
        return Response(s.StudioProfileSerializer(profile).data, status=code)

    def _layer(self):
        return selectors.studio_layer_get(profile=self.get_object(), layer_id=self.kwargs["layer_id"])

    # list / retrieve come from the ModelViewSet

    @extend_schema(
        request=s.CreateProfileSerializer,
        responses={201: s.StudioProfileSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def create(self, request, *args, **kwargs):
        data = _valid(s.CreateProfileSerializer, request.data)
        profile = services.profile_create(
            organization=request.organization,
            user=request.user,
            idempotency_key=request.META.get("HTTP_IDEMPOTENCY_KEY") or None,
            **data,
        )
        return self._summary(profile, status.HTTP_201_CREATED)

    @extend_schema(request=s.SaveStateSerializer, responses=s.StudioProfileSerializer)
    def update(self, request, *args, **kwargs):
        data = _valid(s.SaveStateSerializer, request.data)
        profile = services.profile_save_state(profile=self.get_object(), **data)
        return self._summary(profile)

    @extend_schema(request=s.RenameSerializer, responses=s.StudioProfileSerializer)
    def partial_update(self, request, *args, **kwargs):
        data = _valid(s.RenameSerializer, request.data)
        return self._summary(services.profile_update(profile=self.get_object(), **data))

    def perform_destroy(self, instance):
        services.profile_delete(profile=instance)

    @extend_schema(responses={200: PRESETS_SCHEMA})
    def presets(self, request):
        return Response(
            {
                "templates": [
                    {k: t[k] for k in ("id", "label", "description", "annual_kwh", "icon")}
                    for t in TEMPLATES.values()
                ],
                "layer_presets": [
                    {
                        "id": p["id"],
                        "type": p["type"],
                        "name": p["name"],
                        "description": p["description"],
                        "icon": p["icon"],
                        "color": p["color"],
                        "max_kw": p["max_kw"],
                        "default_hourly_kw": p["default_hourly_kw"],
                        "default_schedule": p["default_schedule"],
                        **({"default_ev_config": p["default_ev_config"]} if "default_ev_config" in p else {}),
                        **(
                            {"default_solar_config": p["default_solar_config"]}
                            if "default_solar_config" in p
                            else {}
                        ),
                    }
                    for p in LAYER_PRESETS.values()
                ],
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "view", str, required=True, enum=["week", "month", "year", "production", "export"]
            ),
            OpenApiParameter("index", int, description="week 0-51, month 0-11"),
            OpenApiParameter(
                "subView", str, enum=["week", "month", "year"], description="for production/export"
            ),
        ],
        responses={200: dict},
    )
    def chart(self, request, pk=None):
        params = {k: v for k, v in request.query_params.items() if v != ""}
        if "subView" in params:  # query parameters are not un-camelized by the parser
            params["sub_view"] = params.pop("subView")
        query = _valid(s.ChartQuerySerializer, params)
        profile = self.get_object()
        if not profile.has_base:
            raise services.StudioError("This profile has no base profile yet.", code="base_profile_required")
        try:
            body = selectors.studio_profile_chart(
                profile=profile, view=query["view"], index=query.get("index"), sub_view=query.get("sub_view")
            )
        except ChartError as exc:
            raise AppError(exc.message, code="invalid", errors={exc.field: [exc.message]}) from exc
        return Response(body)

    @extend_schema(responses={(200, "text/csv"): str})
    def export_csv(self, request, pk=None):
        profile = self.get_object()
        if not profile.has_base:
            raise services.StudioError("This profile has no base profile yet.", code="base_profile_required")
        text = profile_csv(
            year=profile.year,
            result=unpack(profile.result),
            export=unpack(profile.export_result),
            production=unpack(profile.production_result),
        )
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        name = slugify(profile.name) or profile.id
        response["Content-Disposition"] = f'attachment; filename="studio-{name}-{profile.year}.csv"'
        return response

    @extend_schema(request=s.DuplicateSerializer, responses={201: s.StudioProfileSerializer})
    def duplicate(self, request, pk=None):
        data = _valid(s.DuplicateSerializer, request.data)
        copy = services.profile_duplicate(profile=self.get_object(), user=request.user, **data)
        return self._summary(copy, status.HTTP_201_CREATED)

    @extend_schema(request=s.BaseTemplateSerializer, responses={201: s.StudioProfileSerializer})
    def base(self, request, pk=None):
        data = _valid(s.BaseTemplateSerializer, request.data)
        profile = services.base_set_template(profile=self.get_object(), **data)
        return self._summary(profile, status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": s.UploadSerializer}, responses={201: s.StudioProfileSerializer}
    )
    def base_upload(self, request, pk=None):
        profile = self.get_object()
        data = _valid(s.UploadSerializer, request.data)
        upload = data["file"]
        from apps.studio.meterfiles import MAX_FILE_BYTES

        if upload.size > MAX_FILE_BYTES:
            raise services.StudioError(
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.", code="too_large"
            )
        profile = services.base_set_upload(profile=profile, content=upload.read(), filename=upload.name or "")
        return self._summary(profile, status.HTTP_201_CREATED)

    @extend_schema(request=s.LayerAddSerializer, responses={201: s.StudioProfileSerializer})
    def layers_add(self, request, pk=None):
        data = _valid(s.LayerAddSerializer, request.data)
        layer = services.layer_add(profile=self.get_object(), **data)
        return self._summary(layer.profile, status.HTTP_201_CREATED)

    @extend_schema(request=s.LayerFieldsSerializer, responses=s.StudioProfileSerializer)
    def layer_update(self, request, pk=None, layer_id=None):
        layer = self._layer()
        data = _valid(s.LayerFieldsSerializer, request.data, layer_kind=layer.kind)
        layer = services.layer_update(layer=layer, **data)
        return self._summary(layer.profile)

    @extend_schema(request=None, responses={200: s.StudioProfileSerializer})
    def layer_remove(self, request, pk=None, layer_id=None):
        return self._summary(services.layer_remove(layer=self._layer()))


class StudioUploadViewSet(StudioProfileViewSet):
    """The upload endpoint also accepts multipart/form-data."""

    parser_classes = [CamelCaseMultiPartParser, CamelCaseFormParser]
