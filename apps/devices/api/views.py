"""/v1/device-links: create (returns the vendor's link/authorize URL), list, get, sync now, unlink.

Every lookup goes through the organization-scoped selectors: another organization's link is a 404.
"""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.common.api.strict import STRICT_TYPES
from apps.common.errors import AppError
from apps.devices import selectors, services
from apps.devices.api.serializers import (
    DeviceLinkCreateSerializer,
    DeviceLinkSerializer,
    ReadingsQuerySerializer,
    StudioProfileFromLinkSerializer,
)
from apps.dossiers.selectors import dossier_get

MAX_POINTS = 8784  # a leap year of hours


class _LinkView(GenericAPIView):
    serializer_class = DeviceLinkSerializer

    def get_link(self, pk: str):
        return selectors.device_link_get(organization=self.request.organization, link_id=pk)


class DeviceLinkCollectionView(_LinkView):
    @extend_schema(
        operation_id="device_links_list",
        responses=DeviceLinkSerializer(many=True),
        parameters=[
            OpenApiParameter("dossierId", str),
            OpenApiParameter("provider", str),
            OpenApiParameter("status", str),
        ],
    )
    def get(self, request):
        query = request.query_params
        links = selectors.device_link_list(
            organization=request.organization,
            dossier_id=query.get("dossierId", ""),
            provider=query.get("provider", ""),
            status=query.get("status", ""),
        )
        page = self.paginate_queryset(links)
        return self.get_paginated_response(DeviceLinkSerializer(page, many=True).data)

    @extend_schema(
        request=DeviceLinkCreateSerializer,
        responses={201: OpenApiResponse(description="DeviceLink plus linkUrl (where to send the household)")},
    )
    def post(self, request):
        form = DeviceLinkCreateSerializer(data=request.data, context={STRICT_TYPES: True})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        # another organization's dossier is "not found", like every other cross-tenant lookup
        dossier = dossier_get(organization=request.organization, dossier_id=data["dossier_id"])
        started = services.link_create(
            organization=request.organization,
            dossier=dossier,
            provider=data["provider"],
            scopes=data.get("scopes"),
            pod=data.get("pod"),
            account_number=data.get("account_number"),
            company_code=data.get("company_code"),
        )
        body = {**DeviceLinkSerializer(started.link).data, "link_url": started.link_url}
        return Response(body, status=status.HTTP_201_CREATED)


class DeviceLinkDetailView(_LinkView):
    @extend_schema(operation_id="device_links_retrieve")
    def get(self, request, pk: str):
        return Response(DeviceLinkSerializer(self.get_link(pk)).data)

    @extend_schema(operation_id="device_links_destroy", responses={204: None})
    def delete(self, request, pk: str):
        services.link_delete(link=self.get_link(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceLinkSyncView(_LinkView):
    @extend_schema(request=None, responses={202: DeviceLinkSerializer})
    def post(self, request, pk: str):
        link = services.link_request_sync(link=self.get_link(pk))
        return Response(DeviceLinkSerializer(link).data, status=status.HTTP_202_ACCEPTED)


class DeviceLinkStudioProfileView(_LinkView):
    @extend_schema(
        request=StudioProfileFromLinkSerializer,
        responses={200: OpenApiResponse(description="{profileId, totalKwh, totalExportKwh}")},
    )
    def post(self, request, pk: str):
        from apps.studio.selectors import studio_profile_get

        link = self.get_link(pk)
        form = StudioProfileFromLinkSerializer(data=request.data, context={STRICT_TYPES: True})
        form.is_valid(raise_exception=True)
        profile_id = form.validated_data.get("profile_id") or link.studio_profile_id
        profile = (
            studio_profile_get(organization=request.organization, profile_id=profile_id)
            if profile_id
            else None
        )
        profile = services.studio_profile_from_link(link=link, profile=profile, user=request.user)
        return Response(
            {
                "profile_id": profile.pk,
                "total_kwh": profile.total_kwh,
                "total_export_kwh": profile.total_export_kwh,
            }
        )


class DeviceLinkRestartView(_LinkView):
    @extend_schema(
        request=None,
        responses={200: OpenApiResponse(description="DeviceLink plus a fresh linkUrl")},
    )
    def post(self, request, pk: str):
        started = services.link_restart(link=self.get_link(pk))
        return Response({**DeviceLinkSerializer(started.link).data, "link_url": started.link_url})


class DeviceLinkReadingsView(_LinkView):
    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter("kind", str, description="production, consumption, grid_import, grid_export, …"),
            OpenApiParameter("resolution", str, description="hour, day (default) or month (local time)"),
            OpenApiParameter("from", str, description="ISO 8601 instant, inclusive"),
            OpenApiParameter("to", str, description="ISO 8601 instant, exclusive"),
        ],
        responses={
            200: OpenApiResponse(description="{kind, resolution, unit, totalKwh, items: [{start, kwh}]}")
        },
    )
    def get(self, request, pk: str):
        link = self.get_link(pk)
        query = ReadingsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        series = selectors.link_readings(
            link=link,
            kind=params["kind"],
            resolution=params["resolution"],
            start=params.get("from"),
            end=params.get("to"),
        )
        if len(series) > MAX_POINTS:
            raise AppError(
                f"{len(series)} points requested; narrow from/to or use a coarser resolution (max {MAX_POINTS}).",
                code="too_many_points",
            )
        return Response(
            {
                "kind": params["kind"],
                "resolution": params["resolution"],
                "unit": "kWh",
                "total_kwh": round(float(series.sum()), 3),
                "items": [{"start": ts.isoformat(), "kwh": round(float(v), 4)} for ts, v in series.items()],
            }
        )
