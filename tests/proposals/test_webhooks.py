"""proposal.accepted / proposal.declined are signed per Standard Webhooks and delivered to a local receiver."""

import pytest
from standardwebhooks import Webhook

from apps.organizations.models import WebhookDelivery
from apps.organizations.webhooks import webhook_deliver
from apps.proposals.services import proposal_answer
from tests.scans.conftest import make_endpoint
from tests.webhook_receiver import local_receivers_allowed, receiver  # noqa: F401  (fixtures)


@pytest.mark.parametrize("decision", ["accepted", "declined"])
def test_answer_webhook_is_signed_and_delivered(owner, proposal, receiver, decision):  # noqa: F811
    endpoint = make_endpoint(owner.organization, receiver.url, [f"proposal.{decision}"])
    proposal_answer(
        proposal=proposal,
        decision=decision,
        content_hash=proposal.content_hash,
        name="Anna Jansen",
        email="anna@example.nl",
        terms_accepted=True,
    )
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    webhook_deliver(delivery_id=delivery.id)
    headers, raw = receiver.requests[0]
    payload = Webhook(endpoint.secret).verify(raw, headers)  # raises if the signature is wrong
    assert payload["type"] == f"proposal.{decision}"
    assert payload["data"]["proposalId"] == proposal.id and payload["data"]["status"] == decision
    assert payload["data"]["contentHash"] == proposal.content_hash
    assert payload["data"]["customerEmail"] == "anna@example.nl"
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(raw.replace(proposal.id.encode(), b"c" * 25), headers)
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.last_status_code == 200
