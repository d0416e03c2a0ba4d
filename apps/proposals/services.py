"""Writes for proposals: create a locked version, the homeowner's accept/decline, withdraw, view, expire.

Allowed transitions (anything else is a 409):
    sent → viewed | accepted | declined | expired | withdrawn
    viewed → accepted | declined | expired | withdrawn
    accepted, declined, expired, withdrawn → (final)
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.common.casing import to_camel
from apps.common.errors import AppError, Conflict
from apps.common.outbox import outbox_enqueue
from apps.organizations.models import Organization
from apps.organizations.webhooks import webhook_emit
from apps.proposals.models import Proposal, ProposalResponse
from apps.proposals.snapshot import build_snapshot, content_hash
from apps.scans.models import Scan
from apps.scans.services import scan_share

DEFAULT_VALIDITY_DAYS = 30
MAX_VALIDITY_DAYS = 365
OPEN = (Proposal.Status.SENT, Proposal.Status.VIEWED)
TRANSITIONS = {
    Proposal.Status.SENT: {
        Proposal.Status.VIEWED,
        Proposal.Status.ACCEPTED,
        Proposal.Status.DECLINED,
        Proposal.Status.EXPIRED,
        Proposal.Status.WITHDRAWN,
    },
    Proposal.Status.VIEWED: {
        Proposal.Status.ACCEPTED,
        Proposal.Status.DECLINED,
        Proposal.Status.EXPIRED,
        Proposal.Status.WITHDRAWN,
    },
}


def _field_error(field: str, message: str) -> AppError:
    return AppError(f"{field}: {message}", errors={field: [message]})


def _check_price(price: dict[str, Decimal | None]) -> None:
    total = price["total_incl_vat"]
    if total is None or total <= 0:
        raise _field_error("totalInclVat", "Must be more than 0.")
    items = {key: value for key, value in price.items() if key != "total_incl_vat" and value is not None}
    for key, value in items.items():
        if value < 0:
            raise _field_error(to_camel(key), "Must be 0 or more.")
    if sum(items.values(), Decimal(0)) > total:
        raise _field_error("totalInclVat", "Must be at least the sum of the line items.")


def _check_valid_until(valid_until: date | None) -> date:
    today = timezone.localdate()
    valid_until = valid_until or today + timedelta(days=DEFAULT_VALIDITY_DAYS)
    if valid_until < today:
        raise _field_error("validUntil", "Must be today or later.")
    if valid_until > today + timedelta(days=MAX_VALIDITY_DAYS):
        raise _field_error("validUntil", f"Must be within {MAX_VALIDITY_DAYS} days.")
    return valid_until


def _move(proposal: Proposal, to: str, **fields) -> None:
    """Apply one transition or raise Conflict naming the current state."""
    if to not in TRANSITIONS.get(proposal.status, set()):
        raise Conflict(
            f"This proposal is {proposal.status}; it cannot become {to}.", code=f"proposal_{proposal.status}"
        )
    proposal.status = to
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=["status", *fields])


def _event_data(proposal: Proposal) -> dict:
    response = getattr(proposal, "response", None)
    return {
        "proposalId": proposal.id,
        "scanId": proposal.scan_id,
        "version": proposal.version,
        "status": proposal.status,
        "contentHash": proposal.content_hash,
        "totalInclVat": f"{proposal.total_incl_vat:.2f}",
        "decidedAt": proposal.decided_at.isoformat() if proposal.decided_at else None,
        "customerName": response.name if response else None,
        "customerEmail": response.email if response else None,
    }


@transaction.atomic
def proposal_create(
    *,
    organization: Organization,
    scan: Scan,
    total_incl_vat: Decimal,
    panels_price: Decimal | None = None,
    battery_price: Decimal | None = None,
    installation_price: Decimal | None = None,
    valid_until: date | None = None,
) -> Proposal:
    """Lock the scan as the next version of its lineage (the original scan and its adjustments). Earlier open
    versions are withdrawn: the homeowner can only accept the newest; accepted versions stay as they are.
    The scan's share link is enabled (the homeowner answers there)."""
    if scan.organization_id != organization.pk:
        raise AppError("scan: not a scan of this organization.", status=404, code="not_found")
    if scan.status != Scan.Status.COMPLETED or not scan.report:
        raise Conflict("Only a completed scan can become a proposal.", code="scan_not_completed")
    price = {
        "total_incl_vat": total_incl_vat,
        "panels_price": panels_price,
        "battery_price": battery_price,
        "installation_price": installation_price,
    }
    _check_price(price)
    valid_until = _check_valid_until(valid_until)
    scan_share(scan=scan)
    lineage = scan.copied_from_id or scan.id
    Scan.objects.select_for_update().filter(pk=lineage).first()  # one new version of a lineage at a time
    siblings = list(Proposal.objects.select_for_update().filter(lineage=lineage))
    version = max((sibling.version for sibling in siblings), default=0) + 1
    now = timezone.now()
    for older in siblings:
        if older.status in OPEN:
            _move(older, Proposal.Status.WITHDRAWN, withdrawn_at=now)
    terms = organization.proposal_terms
    snapshot = build_snapshot(scan=scan, price=price, valid_until=valid_until, terms=terms, version=version)
    return Proposal.objects.create(
        organization=organization,
        scan=scan,
        lineage=lineage,
        version=version,
        snapshot=snapshot,
        content_hash=content_hash(snapshot),
        valid_until=valid_until,
        terms=terms,
        **price,
    )


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("organization").get(pk=proposal.pk)


def _expire_if_due(proposal: Proposal) -> None:
    if proposal.status in OPEN and proposal.valid_until < timezone.localdate():
        _move(proposal, Proposal.Status.EXPIRED)


@transaction.atomic
def proposal_refresh(*, proposal: Proposal) -> Proposal:
    """An open proposal past its validity date becomes expired (checked whenever it is opened or answered)."""
    proposal = _locked(proposal)
    _expire_if_due(proposal)
    return proposal


@transaction.atomic
def proposal_viewed(*, proposal: Proposal) -> Proposal:
    """The homeowner opened the share page: sent → viewed (once)."""
    proposal = _locked(proposal)
    _expire_if_due(proposal)
    if proposal.status == Proposal.Status.SENT:
        _move(proposal, Proposal.Status.VIEWED, viewed_at=timezone.now())
    return proposal


def proposal_withdraw(*, proposal: Proposal) -> Proposal:
    """sent/viewed → withdrawn; an expired one is recorded as expired and refused (409)."""
    proposal = proposal_refresh(proposal=proposal)
    with transaction.atomic():
        proposal = _locked(proposal)
        _move(proposal, Proposal.Status.WITHDRAWN, withdrawn_at=timezone.now())
    return proposal


def _closed_error(proposal: Proposal) -> Conflict:
    if proposal.status == Proposal.Status.EXPIRED:
        return Conflict(
            f"This proposal expired on {proposal.valid_until.isoformat()}; ask the installer for a new one.",
            code="proposal_expired",
        )
    if proposal.status == Proposal.Status.WITHDRAWN:
        return Conflict("The installer has withdrawn this proposal.", code="proposal_withdrawn")
    return Conflict(f"This proposal has already been {proposal.status}.", code=f"proposal_{proposal.status}")


def _same_answer(response: ProposalResponse, decision: str, email: str) -> bool:
    return response.decision == decision and response.email.lower() == email.strip().lower()


def proposal_answer(
    *,
    proposal: Proposal,
    decision: str,
    content_hash: str,
    name: str = "",
    email: str = "",
    terms_accepted: bool = False,
    remark: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    language: str = "nl",
) -> tuple[ProposalResponse, bool]:
    """Record the homeowner's acceptance or decline of exactly the version they saw (`content_hash`).
    Returns (response, created). Submitting the same answer again returns the first one (created False),
    so a double click sends one e-mail and one webhook; any other answer to a closed proposal is a 409.
    An expired proposal is recorded as expired first (its own commit), then refused."""
    proposal_refresh(proposal=proposal)
    with transaction.atomic():
        return _answer_locked(
            proposal=proposal,
            decision=decision,
            content_hash=content_hash,
            name=name,
            email=email,
            terms_accepted=terms_accepted,
            remark=remark,
            ip_address=ip_address,
            user_agent=user_agent,
            language=language,
        )


def _answer_locked(
    *,
    proposal: Proposal,
    decision: str,
    content_hash: str,
    name: str,
    email: str,
    terms_accepted: bool,
    remark: str,
    ip_address: str | None,
    user_agent: str,
    language: str,
) -> tuple[ProposalResponse, bool]:
    proposal = _locked(proposal)
    existing = ProposalResponse.objects.filter(proposal=proposal).first()
    if existing is not None:
        if _same_answer(existing, decision, email):
            return existing, False
        raise _closed_error(proposal)
    if proposal.status not in OPEN:
        raise _closed_error(proposal)
    if content_hash != proposal.content_hash:
        raise Conflict(
            "This proposal has changed since the page was opened; reload it.", code="proposal_changed"
        )
    if decision == ProposalResponse.Decision.ACCEPTED:
        if not name.strip():
            raise _field_error("name", "Your name is required to accept.")
        if not email.strip():
            raise _field_error("email", "Your e-mail address is required to accept.")
        if not terms_accepted:
            raise _field_error("terms", "Tick the box to accept the terms.")
    now = timezone.now()
    response = ProposalResponse.objects.create(
        proposal=proposal,
        decision=decision,
        name=name.strip(),
        email=email.strip(),
        terms_accepted=terms_accepted,
        remark=remark.strip(),
        content_hash=proposal.content_hash,
        ip_address=ip_address,
        user_agent=user_agent[:500],
        language=language,
    )
    _move(proposal, decision, decided_at=now)
    proposal.response = response
    outbox_enqueue("apps.proposals.jobs.proposal_answered", proposal.id)
    webhook_emit(
        organization=proposal.organization, event_type=f"proposal.{decision}", data=_event_data(proposal)
    )
    return response, True


@transaction.atomic
def proposal_store_pdf(*, proposal: Proposal, data: bytes) -> Proposal:
    """Keep the accepted PDF exactly as drawn; a stored one is never replaced."""
    proposal = _locked(proposal)
    if not proposal.accepted_pdf:
        proposal.accepted_pdf.save(f"{proposal.id}-v{proposal.version}.pdf", ContentFile(data), save=False)
        proposal.save(update_fields=["accepted_pdf"])
    return proposal


@transaction.atomic
def proposal_mark_notified(*, proposal: Proposal) -> bool:
    """Claim the one-time notification (e-mails) of an answer; False when it was already sent."""
    return bool(
        Proposal.objects.filter(pk=proposal.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    )
