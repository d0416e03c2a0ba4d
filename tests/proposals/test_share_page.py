"""The homeowner's answer on the share page: no account, escaped everywhere, rate-limited, idempotent,
blocked by a revoked link; the follow-up stores the accepted PDF and sends the e-mails."""

import io

from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from apps.proposals.followup import proposal_followup
from apps.proposals.models import Proposal
from apps.proposals.views import ANSWER_PER_TOKEN
from apps.scans.services import scan_unshare

from .conftest import past

HOSTILE_NAME = '<script>alert("x")</script> Anna'


def _accept_body(proposal, **changes):
    body = {
        "content_hash": proposal.content_hash,
        "name": HOSTILE_NAME,
        "email": "anna@example.nl",
        "terms": "on",
        "remark": "<img src=x onerror=alert(1)> graag in mei",
    }
    body.update(changes)
    return body


def _token(proposal):
    return proposal.scan.share_token


def test_share_page_shows_the_proposal_and_counts_the_view(proposal):
    page = Client().get(reverse("portal:share", args=[_token(proposal)]))
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        'data-proposal-status="viewed"' in html and "€ 9.850,00" in html
    )  # total from the fixture, Dutch format
    assert proposal.content_hash in html  # the hidden field names the exact version shown
    proposal.refresh_from_db()
    assert proposal.status == "viewed"


def test_installer_opening_own_link_is_not_a_view(proposal, owner):
    client = Client()
    client.force_login(owner.user)
    client.get(reverse("portal:share", args=[_token(proposal)]))
    proposal.refresh_from_db()
    assert proposal.status == "sent"


def test_accept_escapes_name_and_remark_and_is_idempotent(
    proposal, owner, django_capture_on_commit_callbacks
):
    url = reverse("proposals:accept", args=[_token(proposal)])
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(url, _accept_body(proposal))
        second = client.post(url, _accept_body(proposal))
    assert first.status_code == second.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.response.user_agent == "Mozilla/5.0 (iPhone)"
    assert proposal.response.ip_address == "127.0.0.1"
    page = client.get(reverse("portal:share", args=[_token(proposal)])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    # The portal escapes them too.
    installer = Client()
    installer.force_login(owner.user)
    dossier_page = installer.get(
        reverse("portal:dossier_detail", args=[proposal.scan.dossier_id])
    ).content.decode()
    assert "&lt;script&gt;alert" in dossier_page and "<script>alert" not in dossier_page
    assert (
        "data-proposal-status>Geaccepteerd<" in dossier_page
        or "data-proposal-status>Accepted<" in dossier_page
    )


def test_accept_without_terms_tick_is_400_naming_it(proposal):
    answer = Client().post(
        reverse("proposals:accept", args=[_token(proposal)]), _accept_body(proposal, terms="")
    )
    assert answer.status_code == 400
    assert "Vink het vakje aan" in answer.content.decode() or "Tick the box" in answer.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "sent"


def test_expired_proposal_says_so(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(valid_until=past(1))
    answer = Client().post(
        reverse("proposals:accept", args=[_token(proposal)]) + "?lang=en", _accept_body(proposal, lang="en")
    )
    assert answer.status_code == 409
    assert "expired and can no longer be accepted" in answer.content.decode()


def test_revoked_link_blocks_acceptance(proposal):
    token = _token(proposal)
    scan_unshare(scan=proposal.scan)
    answer = Client().post(reverse("proposals:accept", args=[token]), _accept_body(proposal))
    assert answer.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "sent"


def test_answers_are_rate_limited_per_token(proposal):
    url = reverse("proposals:accept", args=[_token(proposal)])
    client = Client()
    codes = [
        client.post(url, {"content_hash": "x"}).status_code for _ in range(ANSWER_PER_TOKEN.per_window + 1)
    ]
    assert codes[:-1] == [400] * ANSWER_PER_TOKEN.per_window and codes[-1] == 429


def test_followup_stores_the_pdf_and_mails_owners_and_homeowner(proposal, owner):
    Client().post(
        reverse("proposals:accept", args=[_token(proposal)]), _accept_body(proposal, name="Anna Jansen")
    )
    proposal_followup(proposal_id=proposal.id)
    proposal_followup(proposal_id=proposal.id)  # a retried job sends nothing twice
    proposal.refresh_from_db()
    assert proposal.accepted_pdf and proposal.notified_at
    to_owner, to_homeowner = mail.outbox
    assert to_owner.to == [owner.user.email] and "Anna Jansen" in to_owner.subject
    assert to_homeowner.to == ["anna@example.nl"]
    name, data, mime = to_homeowner.attachments[0]
    assert mime == "application/pdf"
    with proposal.accepted_pdf.open("rb") as handle:
        assert handle.read() == data  # the e-mailed PDF is the stored one
    last_page = PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    assert "Anna Jansen" in last_page and proposal.content_hash[:16] in last_page.replace("\n", "")
    download = Client().get(reverse("proposals:pdf", args=[_token(proposal)]))
    assert download.status_code == 200 and download.content == data
