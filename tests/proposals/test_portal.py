"""The installer's portal: send a proposal from a scan, see its status on dossier, scan and dashboard;
another organization gets a 404 everywhere."""

from django.test import Client
from django.urls import reverse

from apps.proposals.models import Proposal
from apps.proposals.services import proposal_answer


def _client(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def test_owner_sends_a_proposal_with_dutch_number_input(owner, scan):
    client = _client(owner)
    answer = client.post(
        reverse("portal:proposal_new", args=[scan.pk]),
        {"total_incl_vat": "9850,50", "battery_price": "3400"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert answer.status_code == 302
    proposal = Proposal.objects.get()
    assert str(proposal.total_incl_vat) == "9850.50" and str(proposal.battery_price) == "3400.00"
    page = client.get(reverse("portal:scan_detail", args=[scan.pk])).content.decode()
    assert f'data-proposal-row="{proposal.id}"' in page


def test_member_sees_accepted_status_on_dossier_and_dashboard(member, proposal):
    proposal_answer(
        proposal=proposal,
        decision="accepted",
        content_hash=proposal.content_hash,
        name="Anna Jansen",
        email="anna@example.nl",
        terms_accepted=True,
    )
    client = _client(member)
    for url in (
        reverse("portal:dashboard"),
        reverse("portal:dossier_detail", args=[proposal.scan.dossier_id]),
    ):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert f'data-proposal-row="{proposal.id}"' in page and "Anna Jansen" in page


def test_outsider_cannot_reach_anothers_proposal(outsider, proposal, scan):
    client = _client(outsider)
    assert (
        client.post(reverse("portal:proposal_new", args=[scan.pk]), {"total_incl_vat": "1"}).status_code
        == 404
    )
    assert client.post(reverse("portal:proposal_withdraw", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("portal:proposal_accepted_pdf", args=[proposal.pk])).status_code == 404
    assert proposal.id not in client.get(reverse("portal:dashboard")).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "sent" and Proposal.objects.count() == 1


def test_owner_withdraws_from_the_portal(owner, proposal):
    assert _client(owner).post(reverse("portal:proposal_withdraw", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_terms_come_from_branding_settings_and_stay_with_the_version(owner, scan):
    from .conftest import make_proposal

    client = _client(owner)
    saved = client.post(
        reverse("portal:branding"),
        {"display_name": "Zon & Co", "color": "#0f766e", "proposal_terms": "Aanbetaling 30%."},
    )
    assert saved.status_code == 302
    owner.organization.refresh_from_db()
    first = make_proposal(owner.organization, scan)
    client.post(reverse("portal:branding"), {"color": "#0f766e", "proposal_terms": "Aanbetaling 40%."})
    owner.organization.refresh_from_db()
    second = make_proposal(owner.organization, scan)
    first.refresh_from_db()
    assert (first.terms, second.terms) == ("Aanbetaling 30%.", "Aanbetaling 40%.")
    assert first.snapshot["terms"] == "Aanbetaling 30%."
