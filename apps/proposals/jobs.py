"""Proposal actors: thin wrappers around the follow-up of a homeowner's answer."""

import dramatiq

from apps.proposals.followup import proposal_followup


@dramatiq.actor(queue_name="default", max_retries=5, min_backoff=5_000, max_backoff=300_000)
def proposal_answered(proposal_id: str) -> None:
    proposal_followup(proposal_id=proposal_id)
