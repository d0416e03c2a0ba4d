"""/v1/scans endpoints. Thin: validate, call a selector or service, shape the answer."""

from functools import partial

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.common.api.fields import api_datetime
from apps.common.api.pagination import PageQuerySerializer, PreparedPagePagination, with_window_total
from apps.common.casing import to_camel
from apps.common.errors import AppError
from apps.common.prepared import PreparedValues
from apps.organizations.models import Organization
from apps.organizations.selectors import organization_for_request
from apps.scans import selectors, services
from apps.scans.api.schema import ref
from apps.scans.api.serializers import (
    BreakdownQuerySerializer,
    ListedScan,
    ScanCreateSerializer,
    ScanListItemSerializer,
    ScanListPageSerializer,
    ScanStatusSerializer,
    ShareSerializer,
)
from apps.scans.api.submission import scan_submit
from apps.scans.breakdown import FIELDS as BREAKDOWN_FIELDS
from apps.scans.breakdown import breakdown
from apps.scans.models import Scan
from apps.scans.seen import scan_report_seen

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"


class AnonScanThrottle(AnonRateThrottle):
    """The seed's 3 requests/min per IP for anonymous GET /v1/scans/:id (authenticated callers: none)."""

    scope = "anon_scan"


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def battery_shape(battery: dict | None, requested: dict | None) -> dict:
    """The seed's battery object, always present with `was_requested`.

    Not requested: specs/performance/costs are null. Requested but not worth buying (the sizing chose
    none): a battery of 0 kWh and 0 kW with the requested efficiency and brand, nothing bought or saved,
    `is_feasible` false. Otherwise the report's battery as it is.
    """
    if battery is None or requested is None:
        return {
            "specs": None,
            "performance": None,
            "costs": None,
            "is_feasible": False,
            "was_requested": False,
        }
    if battery.get("specs") is not None:
        return battery
    return {
        **battery,
        "specs": {
            "power_kw": 0.0,
            "capacity_kwh": 0.0,
            "roundtrip_efficiency": requested.get("roundtrip_efficiency"),
            "min_charge_level": requested.get("minimum_charge_level"),
            "brand_name": requested.get("brand_name"),
            "model_name": requested.get("model_name"),
        },
        "performance": {
            "annual_savings": 0.0,
            "cycles_per_year": 0.0,
            "state_of_health": None,
            "grid_charging_enabled": bool(requested.get("grid_charging")),
        },
        "costs": {"purchase_cost": 0.0, "replacement_cost": 0.0, "system_return_period": None},
        "is_feasible": False,
        "was_requested": True,
    }


def full_report(scan: Scan) -> dict:
    """FullReportDto (snake_case; the renderer camelizes): the stored report plus the per-read keys."""
    return {
        "id": scan.id,
        "status": scan.report.get("status", "optimal"),
        "created_at": api_datetime(scan.created_at),
        **{k: v for k, v in scan.report.items() if k != "status"},
        "battery": battery_shape(scan.report.get("battery"), scan.inputs.get("electric_battery")),
        "is_shared": bool(scan.share_token),
        "share_token": scan.share_token,
    }


def scan_body(scan: Scan) -> dict:
    if scan.status == Scan.Status.COMPLETED and scan.report:
        return full_report(scan)
    return ScanStatusSerializer(scan).data


def branding(request, scan: Scan) -> dict:
    organization = scan.organization
    if organization is None:
        return {"branding_logo": None, "branding_display_name": None, "branding_enabled": False}
    logo = request.build_absolute_uri(organization.branding_logo.url) if organization.branding_logo else None
    return {
        "branding_logo": logo,
        "branding_display_name": organization.branding_display_name or organization.name,
        "branding_enabled": organization.branding_enabled,
    }


def chart_data(scan: Scan, **options) -> dict:
    series = selectors.scan_series(scan=scan)
    if series is None:
        raise AppError(
            "This scan has no chart data.", status=409, code="scan_not_completed", title="Conflict"
        )
    year = scan.inputs.get("first_operating_year") or services.ENGINE_PARAMETERS["first_operating_year"]
    specs = (scan.report.get("battery") or {}).get("specs") or {}
    return breakdown(
        hourly=series.unpack(),
        charts=series.charts,
        year=year,
        battery_capacity_kwh=specs.get("capacity_kwh") or 0.0,
        **options,
    )


def _scan_page(slot, *, in_dossier: bool):
    """The scan list as `GET /v1/scans` reads it: the list item's columns, the list's total on every row."""
    scans = selectors.scan_list(
        organization=Organization(pk=slot("organization")),
        dossier_id=slot("dossier") if in_dossier else None,
    )
    return with_window_total(scans.values(*ScanListItemSerializer.COLUMNS, "adjustment_count"))


_SCAN_PAGES = {
    in_dossier: PreparedValues(partial(_scan_page, in_dossier=in_dossier)) for in_dossier in (False, True)
}


class ScanCollectionView(APIView):
    @extend_schema(
        parameters=[
            PageQuerySerializer,
            OpenApiParameter("dossierId", str, description="Only scans of this dossier"),
        ],
        responses=ScanListPageSerializer,
        operation_id="scansList",
    )
    def get(self, request):
        dossier_id = request.query_params.get("dossierId")
        paginator = PreparedPagePagination()
        rows = paginator.paginate_prepared(
            _SCAN_PAGES[bool(dossier_id)], request, organization=request.organization.pk, dossier=dossier_id
        )
        page = [ListedScan(row) for row in rows]
        return paginator.get_paginated_response(ScanListItemSerializer(page, many=True).data)

    @extend_schema(
        request=ScanCreateSerializer,
        responses={201: ScanStatusSerializer, 200: ScanStatusSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request):
        data = dict(request.data) if hasattr(request.data, "keys") else request.data
        created = scan_submit(
            organization=request.organization,
            data=data,
            idempotency_key=request.META.get(IDEMPOTENCY_HEADER),
            strict_types=True,
        )
        return Response(
            ScanStatusSerializer(created.scan).data,
            status=status.HTTP_201_CREATED if created.created else status.HTTP_200_OK,
        )


class ScanDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.request.method == "GET":
            return [AnonScanThrottle()]
        return super().get_throttles()

    @extend_schema(
        responses={
            200: OpenApiResponse(
                {"oneOf": [ref("ScanStatus"), ref("FullReportDto")]},
                description="ScanDto while pending or failed, FullReportDto once completed (optimal).",
            )
        }
    )
    def get(self, request, pk):
        organization = organization_for_request(request) if request.user.is_authenticated else None
        if organization is not None:
            scan = selectors.scan_get(organization=organization, scan_id=pk)
        else:
            scan = selectors.scan_get_public(scan_id=pk)
        body = scan_body(scan)
        if "overview" in body:  # the full report was read
            scan_report_seen(scan=scan)
        return Response(body)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.scan_delete(scan=selectors.scan_get(organization=request.organization, scan_id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScanStatusView(APIView):
    @extend_schema(responses=ScanStatusSerializer)
    def get(self, request, pk):
        return Response(
            ScanStatusSerializer(selectors.scan_get(organization=request.organization, scan_id=pk)).data
        )


class ScanBreakdownView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("startDate", str),
            OpenApiParameter("interval", str, enum=["day", "week", "month", "year"]),
            OpenApiParameter("extended", bool),
            OpenApiParameter("fields", str, description="Comma-separated field names"),
        ],
        responses={200: ref("Breakdown")},
    )
    def get(self, request, pk):
        scan = selectors.scan_get(organization=request.organization, scan_id=pk)
        params = request.query_params
        query = BreakdownQuerySerializer(
            data={
                _snake(name): params[name]
                for name in ("startDate", "interval", "extended", "fields")
                if name in params
            }
        )
        query.is_valid(raise_exception=True)
        wanted = {_snake(f.strip()) for f in query.validated_data["fields"].split(",") if f.strip()}
        unknown = sorted(to_camel(f) for f in wanted - set(BREAKDOWN_FIELDS))
        if unknown:
            raise AppError(
                f"fields: unknown field(s) {', '.join(unknown)}.",
                errors={"fields": [f"Unknown field(s): {', '.join(unknown)}."]},
            )
        if scan.status != Scan.Status.COMPLETED:
            raise AppError(
                f"The scan is {scan.public_status}; breakdown data exists once it is completed.",
                status=409,
                code="scan_not_completed",
                title="Conflict",
            )
        return Response(
            chart_data(
                scan,
                start=query.validated_data.get("start_date"),
                interval=query.validated_data["interval"],
                extended=query.validated_data["extended"],
                fields=wanted or None,
            )
        )


class ScanAdjustmentsView(APIView):
    @extend_schema(responses=ScanListItemSerializer(many=True))
    def get(self, request, pk):
        scan = selectors.scan_get(organization=request.organization, scan_id=pk)
        adjustments = selectors.scan_adjustments(scan=scan).only(*ScanListItemSerializer.COLUMNS)
        return Response(ScanListItemSerializer(adjustments, many=True).data)


class ScanShareView(APIView):
    @extend_schema(request=None, responses=ShareSerializer)
    def post(self, request, pk):
        scan = services.scan_share(scan=selectors.scan_get(organization=request.organization, scan_id=pk))
        return Response({"is_shared": True, "share_token": scan.share_token})

    @extend_schema(responses={200: ShareSerializer})
    def delete(self, request, pk):
        services.scan_unshare(scan=selectors.scan_get(organization=request.organization, scan_id=pk))
        return Response({"is_shared": False, "share_token": None})


class ScanBrandingView(APIView):
    @extend_schema(responses={200: ref("Branding")})
    def get(self, request, pk):
        return Response(branding(request, selectors.scan_get(organization=request.organization, scan_id=pk)))


class SharedScanView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(auth=[], responses={200: ref("SharedScan")})
    def get(self, request, token):
        scan = selectors.scan_by_share_token(token=token)
        body = {
            "scan_id": scan.id,
            "report": full_report(scan),
            "chart_data": chart_data(scan, interval="year"),
            **branding(request, scan),
        }
        services.scan_share_viewed(scan=scan)
        return Response(body)
