"""Reads for proposals. Organization-facing reads go through `Proposal.objects.for_organization`; the share
page reaches only the proposals of the one scan its token names."""

from django.db.models import QuerySet

from apps.common.errors import NotFound
from apps.organizations.models import Organization
from apps.proposals.models import Proposal, ProposalResponse
from apps.scans.models import Scan

LIST_DEFERRED = ("snapshot",)


def proposal_list(
    *, organization: Organization | None, scan_id: str | None = None, dossier_id: str | None = None
) -> QuerySet[Proposal]:
    proposals = (
        Proposal.objects.for_organization(organization)
        .defer(*LIST_DEFERRED)
        .select_related("response", "scan__dossier")
        .order_by("-created_at", "id")
    )
    if scan_id:
        proposals = proposals.filter(scan_id=scan_id)
    if dossier_id:
        proposals = proposals.filter(scan__dossier_id=dossier_id)
    return proposals


def proposal_get(*, organization: Organization | None, proposal_id: str) -> Proposal:
    """The organization's proposal, or NotFound (another organization's is indistinguishable from none)."""
    proposal = (
        Proposal.objects.for_organization(organization)
        .select_related("response")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise NotFound("No proposal with this id.")
    return proposal


def proposal_for_shared_scan(*, scan: Scan) -> Proposal | None:
    """The newest proposal made from this shared scan (None: the page is a plain report)."""
    return (
        Proposal.objects.for_organization(scan.organization_id)
        .filter(scan=scan)
        .select_related("response", "organization")
        .order_by("-version")
        .first()
    )


def proposal_response_get(*, proposal: Proposal) -> ProposalResponse | None:
    """The homeowner's answer to this proposal, None while unanswered."""
    return ProposalResponse.objects.filter(proposal=proposal).first()
