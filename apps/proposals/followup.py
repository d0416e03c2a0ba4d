"""After the homeowner answers: draw and keep the accepted PDF, e-mail the organization's owners and (on
acceptance) the homeowner with the PDF. Runs as a job, so the homeowner's page answers at once; e-mails go
out once (proposal_mark_notified), the PDF is kept once (proposal_store_pdf)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from apps.organizations.models import Membership
from apps.proposals.models import Proposal, ProposalResponse
from apps.proposals.pdf import proposal_pdf
from apps.proposals.services import proposal_mark_notified, proposal_store_pdf


def accepted_pdf_bytes(proposal: Proposal) -> bytes:
    """The stored accepted PDF; drawn and stored first if the follow-up has not done it yet."""
    if not proposal.accepted_pdf:
        language = proposal.response.language if hasattr(proposal, "response") else "nl"
        proposal = proposal_store_pdf(proposal=proposal, data=proposal_pdf(proposal, language=language))
    with proposal.accepted_pdf.open("rb") as handle:
        return handle.read()


def _one_line(text: str) -> str:
    """No line breaks in a subject line (header injection)."""
    return " ".join(text.split())


def _owner_emails(proposal: Proposal) -> list[str]:
    return list(
        Membership.objects.for_organization(proposal.organization)
        .filter(role=Membership.Role.OWNER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _mail(template: str, context: dict, to: list[str]) -> EmailMessage:
    subject = _one_line(render_to_string(f"proposals/emails/{template}_subject.txt", context))
    body = render_to_string(f"proposals/emails/{template}.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def proposal_followup(*, proposal_id: str) -> None:
    proposal = (
        Proposal.objects.select_related("organization", "response", "scan__dossier")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not hasattr(proposal, "response"):
        return
    response = proposal.response
    accepted = response.decision == ProposalResponse.Decision.ACCEPTED
    pdf = accepted_pdf_bytes(proposal) if accepted else None
    proposal.refresh_from_db(fields=["accepted_pdf"])
    if not proposal_mark_notified(proposal=proposal):
        return
    context = {"proposal": proposal, "response": response, "organization": proposal.organization}
    owners = _owner_emails(proposal)
    if owners:
        _mail("installer_answer", context, owners).send()
    if accepted and response.email:
        with translation.override(response.language):
            message = _mail("homeowner_accepted", context, [response.email])
        message.attach(f"proposal-v{proposal.version}.pdf", pdf, "application/pdf")
        message.send()
