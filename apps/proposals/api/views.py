"""/v1/proposals (extension of the seed API). Thin: validate, call a selector or service, shape the answer.
Another organization's proposal or scan is a 404, as if it did not exist."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.api.pagination import PagePagination, PageQuerySerializer
from apps.common.api.strict import STRICT_TYPES
from apps.common.errors import AppError
from apps.proposals import selectors, services
from apps.proposals.api.serializers import (
    ProposalCreateSerializer,
    ProposalListPageSerializer,
    ProposalSerializer,
)
from apps.proposals.models import Proposal
from apps.scans.selectors import scan_get


def _proposal(request, pk: str) -> Proposal:
    return selectors.proposal_get(organization=request.organization, proposal_id=pk)


class ProposalCollectionView(APIView):
    @extend_schema(
        parameters=[
            PageQuerySerializer,
            OpenApiParameter("scanId", str, description="Only proposals made from this scan"),
        ],
        responses=ProposalListPageSerializer,
        operation_id="proposalsList",
    )
    def get(self, request):
        proposals = selectors.proposal_list(
            organization=request.organization, scan_id=request.query_params.get("scanId")
        )
        paginator = PagePagination()
        page = paginator.paginate_queryset(proposals, request, view=self)
        return paginator.get_paginated_response(ProposalSerializer(page, many=True).data)

    @extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer})
    def post(self, request):
        """Lock a completed scan as the next proposal version (earlier open versions are withdrawn) and
        enable its share link, where the homeowner accepts or declines."""
        serializer = ProposalCreateSerializer(data=request.data, context={STRICT_TYPES: True})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            scan = scan_get(organization=request.organization, scan_id=data.pop("scan_id"))
        except AppError as exc:
            raise AppError(
                "scanId: no scan with this id in your organization.",
                status=404,
                code="not_found",
                errors={"scanId": [exc.detail]},
            ) from exc
        proposal = services.proposal_create(organization=request.organization, scan=scan, **data)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalDetailView(APIView):
    @extend_schema(responses=ProposalSerializer)
    def get(self, request, pk):
        return Response(ProposalSerializer(_proposal(request, pk)).data)


class ProposalWithdrawView(APIView):
    @extend_schema(request=None, responses=ProposalSerializer)
    def post(self, request, pk):
        """sent/viewed → withdrawn; the homeowner can no longer accept it. Otherwise 409."""
        proposal = services.proposal_withdraw(proposal=_proposal(request, pk))
        return Response(ProposalSerializer(proposal).data)
