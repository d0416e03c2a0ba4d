"""Proposal fixtures: a completed, shared scan of the owner's organization and a proposal made from it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.dossiers.services import dossier_create
from apps.proposals.services import proposal_create


@pytest.fixture(scope="session")
def proposal_result():
    """The engine's result for the seed body, computed once per run."""
    from apps.engine.api import run_scan
    from apps.scans.engine_inputs import build_engine_inputs
    from tests.scans.conftest import SEED_BODY, resolved_inputs

    return run_scan(build_engine_inputs(resolved_inputs(SEED_BODY)))


@pytest.fixture
def dossier(owner):
    return dossier_create(
        organization=owner.organization,
        reference="ZC-042",
        customer_name="Familie <b>Jansen</b>",
        address="Oudegracht 1, Utrecht",
        latitude=52.09,
        longitude=5.12,
    )


@pytest.fixture
def scan(owner, dossier, proposal_result):
    from tests.scans.conftest import complete_scan

    return complete_scan(owner.organization, proposal_result, dossier=dossier)


def make_proposal(organization, scan, **changes):
    fields = {
        "total_incl_vat": Decimal("9850.00"),
        "panels_price": Decimal("5200.00"),
        "battery_price": Decimal("3400.00"),
        "installation_price": Decimal("1250.00"),
    }
    fields.update(changes)
    return proposal_create(organization=organization, scan=scan, **fields)


@pytest.fixture
def proposal(owner, scan):
    owner.organization.proposal_terms = "Betaling: 30% bij opdracht, 70% na oplevering."
    owner.organization.save(update_fields=["proposal_terms"])
    return make_proposal(owner.organization, scan)


def past(days: int):
    return timezone.localdate() - timedelta(days=days)
