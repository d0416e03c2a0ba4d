"""Version locking and the state machine of a proposal (services, no HTTP)."""

import hashlib
import json
from decimal import Decimal

import pytest

from apps.common.errors import AppError, Conflict
from apps.organizations.models import WebhookDelivery
from apps.proposals.models import Proposal
from apps.proposals.services import proposal_answer, proposal_viewed, proposal_withdraw
from apps.proposals.snapshot import content_hash
from tests.scans.conftest import complete_scan, make_endpoint

from .conftest import make_proposal, past


def accept(proposal, **changes):
    fields = {
        "decision": "accepted",
        "content_hash": proposal.content_hash,
        "name": "Anna Jansen",
        "email": "anna@example.nl",
        "terms_accepted": True,
        "ip_address": "203.0.113.7",
        "user_agent": "Mobile Safari",
    }
    fields.update(changes)
    return proposal_answer(proposal=proposal, **fields)


def test_snapshot_is_frozen_and_hash_is_sha256_of_canonical_json(proposal, scan):
    # The hash is recomputed here independently with hashlib over sorted, compact JSON.
    stored = Proposal.objects.get(pk=proposal.pk)
    canonical = json.dumps(stored.snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert stored.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert stored.snapshot["report"] == scan.report and stored.snapshot["inputs"] == scan.inputs
    assert stored.snapshot["price"] == {
        "total_incl_vat": "9850.00",
        "panels_price": "5200.00",
        "battery_price": "3400.00",
        "installation_price": "1250.00",
    }
    assert stored.snapshot["terms"].startswith("Betaling") and stored.version == 1
    # Validity default: 30 days from today.
    assert (stored.valid_until - past(0)).days == 30


def test_adjusting_after_sending_makes_a_new_version_and_leaves_the_accepted_one(
    owner, proposal, proposal_result
):
    accepted_hash = proposal.content_hash
    accept(proposal)
    adjustment = complete_scan(
        owner.organization, proposal_result, copied_from=proposal.scan, dossier=proposal.scan.dossier
    )
    second = make_proposal(owner.organization, adjustment, total_incl_vat=Decimal("10400.00"))
    assert second.version == 2 and second.lineage == proposal.lineage == proposal.scan_id
    assert second.content_hash != accepted_hash
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.content_hash == accepted_hash
    assert content_hash(proposal.snapshot) == accepted_hash  # stable: recomputed from the stored snapshot


def test_a_new_version_withdraws_the_open_one(owner, proposal, proposal_result):
    adjustment = complete_scan(owner.organization, proposal_result, copied_from=proposal.scan)
    make_proposal(owner.organization, adjustment)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    with pytest.raises(Conflict, match="withdrawn"):
        accept(proposal)


def test_accept_records_who_when_hash_and_emits_webhook(owner, proposal):
    endpoint = make_endpoint(owner.organization, events=["proposal.accepted"])
    proposal_viewed(proposal=proposal)
    response, created = accept(proposal)
    assert created and response.content_hash == proposal.content_hash
    assert (response.name, response.email, response.ip_address) == (
        "Anna Jansen",
        "anna@example.nl",
        "203.0.113.7",
    )
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.viewed_at and proposal.decided_at
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.payload["type"] == "proposal.accepted"
    assert delivery.payload["data"]["contentHash"] == proposal.content_hash
    assert delivery.payload["data"]["totalInclVat"] == "9850.00"


def test_double_submission_is_idempotent_but_a_second_accept_by_someone_else_is_refused(owner, proposal):
    make_endpoint(owner.organization)
    first, created = accept(proposal)
    again, created_again = accept(proposal)
    assert created and not created_again and again.pk == first.pk
    assert WebhookDelivery.objects.filter(event_type="proposal.accepted").count() == 1
    with pytest.raises(Conflict, match="already been accepted"):
        accept(proposal, email="someone@else.nl")
    with pytest.raises(Conflict):
        proposal_answer(proposal=proposal, decision="declined", content_hash=proposal.content_hash)


def test_expired_proposal_cannot_be_accepted(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(valid_until=past(1))
    proposal.refresh_from_db()
    with pytest.raises(Conflict, match="expired") as caught:
        accept(proposal)
    assert caught.value.code == "proposal_expired"
    proposal.refresh_from_db()
    assert proposal.status == "expired"


def test_decline_with_reason_then_accept_is_refused(owner, proposal):
    make_endpoint(owner.organization, events=["proposal.declined"])
    response, _ = proposal_answer(
        proposal=proposal, decision="declined", content_hash=proposal.content_hash, remark="Te duur"
    )
    assert response.remark == "Te duur"
    assert WebhookDelivery.objects.get(event_type="proposal.declined").payload["data"]["status"] == "declined"
    with pytest.raises(Conflict):
        accept(proposal)


def test_withdraw_only_while_open(proposal):
    proposal_withdraw(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn" and proposal.withdrawn_at
    with pytest.raises(Conflict):
        proposal_withdraw(proposal=proposal)


def test_accept_needs_terms_and_the_version_that_was_shown(proposal):
    with pytest.raises(AppError) as caught:
        accept(proposal, terms_accepted=False)
    assert caught.value.errors == {"terms": ["Tick the box to accept the terms."]}
    with pytest.raises(Conflict) as changed:
        accept(proposal, content_hash="0" * 64)
    assert changed.value.code == "proposal_changed"
    proposal.refresh_from_db()
    assert proposal.status == "sent"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"total_incl_vat": Decimal("0")}, "totalInclVat"),
        ({"battery_price": Decimal("-1")}, "batteryPrice"),
        ({"total_incl_vat": Decimal("100.00")}, "totalInclVat"),  # less than the line items' sum
        ({"valid_until": past(1)}, "validUntil"),
    ],
)
def test_bad_price_or_validity_names_the_field(owner, scan, changes, field):
    with pytest.raises(AppError) as caught:
        make_proposal(owner.organization, scan, **changes)
    assert list(caught.value.errors) == [field]
    assert not Proposal.objects.exists()


def test_free_plan_cannot_send_a_proposal(outsider, proposal_result):
    from apps.common.errors import PaymentRequired

    scan = complete_scan(outsider.organization, proposal_result)
    with pytest.raises(PaymentRequired):
        make_proposal(outsider.organization, scan)
