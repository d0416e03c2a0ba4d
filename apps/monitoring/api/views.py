"""/v1/dossiers/{id}/installed-design and /v1/dossiers/{id}/performance. Thin: validate, call a selector or
service, shape the answer. Another organization's dossier, proposal or scan is a 404, as if it did not
exist (every lookup goes through ``for_organization``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.api.strict import STRICT_TYPES
from apps.common.errors import AppError, NotFound
from apps.monitoring import selectors, services
from apps.monitoring.api.serializers import (
    InstalledDesignFromSourceSerializer,
    InstalledDesignSerializer,
    InstalledDesignWriteSerializer,
    PerformanceSerializer,
)
from apps.monitoring.figures import since_installation
from apps.proposals.selectors import proposal_get
from apps.scans.selectors import scan_get


def _dossier(request, pk: str):
    return selectors.dossier_get(organization=request.organization, dossier_id=pk)


def _design(dossier):
    design = selectors.installed_design_of(dossier=dossier)
    if design is None:
        raise NotFound("This dossier has no installed design yet.", code="no_installed_design")
    return design


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.data, context={STRICT_TYPES: True})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _lookup(field: str, getter, **kwargs):
    """A proposal or scan of the caller's organization; not found → 404 naming the request field."""
    try:
        return getter(**kwargs)
    except NotFound as exc:
        raise AppError(
            f"{field}: {exc.detail}", status=404, code="not_found", errors={field: [exc.detail]}
        ) from exc


class InstalledDesignView(APIView):
    @extend_schema(responses=InstalledDesignSerializer, operation_id="installedDesignGet")
    def get(self, request, pk):
        return Response(InstalledDesignSerializer(_design(_dossier(request, pk))).data)

    @extend_schema(
        request=InstalledDesignWriteSerializer,
        responses=InstalledDesignSerializer,
        operation_id="installedDesignPut",
    )
    def put(self, request, pk):
        """Record (or correct) what was installed: arrays, battery, install date. Recomputes the months."""
        dossier = _dossier(request, pk)
        data = _validated(InstalledDesignWriteSerializer, request)
        design = services.installed_design_save(dossier=dossier, **data)
        return Response(InstalledDesignSerializer(design).data)

    @extend_schema(
        request=InstalledDesignFromSourceSerializer,
        responses={201: InstalledDesignSerializer},
        operation_id="installedDesignFromSource",
    )
    def post(self, request, pk):
        """Take the installed design from an accepted proposal or a completed scan of this dossier."""
        dossier = _dossier(request, pk)
        data = _validated(InstalledDesignFromSourceSerializer, request)
        organization, install_date = request.organization, data["install_date"]
        if "proposal_id" in data:
            proposal = _lookup(
                "proposalId", proposal_get, organization=organization, proposal_id=data["proposal_id"]
            )
            design = services.installed_design_from_proposal(
                dossier=dossier, proposal=proposal, install_date=install_date
            )
        else:
            scan = _lookup("scanId", scan_get, organization=organization, scan_id=data["scan_id"])
            design = services.installed_design_from_scan(
                dossier=dossier, scan=scan, install_date=install_date
            )
        return Response(InstalledDesignSerializer(design).data, status=status.HTTP_201_CREATED)


class PerformanceView(APIView):
    @extend_schema(responses=PerformanceSerializer, operation_id="dossierPerformance")
    def get(self, request, pk):
        """Expected band (low / typical / high over the measured weather years), measured production,
        performance ratio and data coverage per month since installation, and the underperformance alert.
        ``actualKwh`` is null for a month without readings; ``ratio`` is null when a month is running or has
        too little data (``status`` says which)."""
        dossier = _dossier(request, pk)
        design = _design(dossier)
        months = list(selectors.performance_months(dossier=dossier))
        return Response(
            PerformanceSerializer(
                {
                    "dossier_id": dossier.pk,
                    "installed_design": design,
                    "months": months,
                    "since_installation": since_installation(months),
                    "alert": selectors.active_alert_of(dossier=dossier),
                }
            ).data
        )
