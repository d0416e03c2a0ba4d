"""A scan on a dossier whose linked inverter measured a year of production: the existing PV is scaled to
the measurement, and the report shows measured next to simulated (Enphase through the fake vendor)."""

import datetime as dt

import pytest

from apps.devices import services as device_services
from apps.devices.models import DeviceLink
from apps.scans.jobs import run_scan
from apps.scans.models import Scan
from tests.devices import conftest as devices_conftest
from tests.devices import support
from tests.devices.support import link_enphase

from .conftest import SEED_BODY

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures
fake = devices_conftest.fake  # the fake-vendor server fixture vendor_fakes uses


@pytest.fixture
def enphase_link(owner, dossier, vendor_fakes) -> DeviceLink:
    link_id = link_enphase(owner.key_client(), dossier)
    assert device_services.link_sync(link_id=link_id).status == "ok"
    link = DeviceLink.objects.get(pk=link_id)
    assert link.measured_production_kwh is not None  # the fake's few days of history
    return link


def _as_full_year(link: DeviceLink, kwh: float) -> None:
    """What a year of synced history leaves on the link (a 365-day sync of the fake takes minutes)."""
    end = link.measured_period_end
    DeviceLink.objects.filter(pk=link.pk).update(
        measured_production_kwh=kwh, measured_period_start=end - dt.timedelta(days=365)
    )


def owner_client_for(actor):
    from django.test import Client

    client = Client()
    client.force_login(actor.user)
    return client


def _submit_and_run(owner, dossier) -> Scan:
    response = owner.key_client().post("/v1/scans", {**SEED_BODY, "dossierId": dossier.id}, format="json")
    assert response.status_code == 201, response.content
    scan_id = response.json()["id"]
    run_scan.fn(scan_id)
    scan = Scan.objects.get(pk=scan_id)
    assert scan.status == "completed", scan.error_message
    return scan


def test_a_year_of_measured_production_scales_the_existing_pv(
    owner, dossier, enphase_link, seed_result, stub_broker
):
    # Same body, same location; the seed's bill fit scaled its yield by existingPvBillFactor, the
    # measured production replaces that fit, so the simulated figure is the unscaled one.
    fitted = sum(a.yearly_output_kwh for a in seed_result.existing_pv)
    simulated = fitted / seed_result.assumptions.gross_load.existing_pv_bill_factor
    measured = round(simulated * 0.8, 1)  # the roof gives 20 % less than the model says
    _as_full_year(enphase_link, measured)

    scan = _submit_and_run(owner, dossier)

    stored = scan.inputs["measured_production"]  # reproducible: the figure is in the resolved inputs
    assert stored["used"] is True and stored["source"] == "enphase" and stored["link_id"] == enphase_link.pk
    assert stored["yearly_kwh"] == pytest.approx(measured) and stored["period_days"] == pytest.approx(365)
    solar = scan.report["solar"]
    existing = sum(a["yearly_output_kwh"] for a in solar["existing_systems"])
    assert existing == pytest.approx(measured, rel=1e-3)
    block = solar["measured_vs_simulated"]
    assert block["applied"] is True and block["source"] == "enphase"
    assert block["simulated_kwh"] == pytest.approx(simulated, rel=1e-3)
    assert block["factor"] == pytest.approx(0.8, abs=1e-3)
    accuracy = scan.report["accuracy"]
    line = next(f for f in accuracy["factors"] if f["factor"] == "existingPvProduction")
    assert line["level"] == "measured" and "enphase" in line["detail"]
    assert accuracy["max_score"] == 4 and accuracy["score"] == 2  # export given (1) + measured PV (1)
    assumptions = scan.report["assumptions"]
    assert assumptions["existing_pv_measured_source"] == "enphase"
    assert assumptions["existing_pv_scale_factor"] == pytest.approx(0.8, abs=1e-3)
    assert assumptions["existing_pv_scale_range"] == [0.5, 1.5]
    # the installer's report page renders it
    page = owner_client_for(owner).get(f"/scans/{scan.id}/")
    assert page.status_code == 200 and "existing_pv_scale_factor" in page.content.decode()

    # on the wire (camelCase)
    wire = owner.key_client().get(f"/v1/scans/{scan.id}").json()
    assert wire["solar"]["measuredVsSimulated"]["measuredKwh"] == pytest.approx(measured)
    assert wire["solar"]["measuredVsSimulated"]["period"]["days"] == pytest.approx(365)

    # an adjustment resolves the measurement again instead of tripping over the stored field
    adjusted = owner.key_client().post(
        "/v1/scans", {"copiedFromId": scan.id, "goal": "cost-savings"}, format="json"
    )
    assert adjusted.status_code == 201, adjusted.content
    assert Scan.objects.get(pk=adjusted.json()["id"]).inputs["measured_production"]["used"] is True


def test_a_short_measured_period_is_not_used_and_says_why(owner, dossier, enphase_link, stub_broker):
    scan = _submit_and_run(owner, dossier)  # the fake synced 3 days only
    stored = scan.inputs["measured_production"]
    assert stored["used"] is False and "300 days" in stored["reason"]
    block = scan.report["solar"]["measured_vs_simulated"]
    assert block["applied"] is False and block["factor"] is None and "300 days" in block["reason"]
    line = next(f for f in scan.report["accuracy"]["factors"] if f["factor"] == "existingPvProduction")
    assert line["level"] == "simulated"


def test_a_factor_out_of_range_is_clipped_with_a_warning(
    owner, dossier, enphase_link, seed_result, stub_broker
):
    fitted = sum(a.yearly_output_kwh for a in seed_result.existing_pv)  # unscaled: see the first test
    simulated = fitted / seed_result.assumptions.gross_load.existing_pv_bill_factor
    _as_full_year(enphase_link, round(simulated * 2.5, 1))
    scan = _submit_and_run(owner, dossier)
    block = scan.report["solar"]["measured_vs_simulated"]
    assert (
        block["applied"] is True
        and block["factor"] == 1.5
        and block["raw_factor"] == pytest.approx(2.5, 1e-3)
    )
    assert "outside" in block["reason"]
    existing = sum(a["yearly_output_kwh"] for a in scan.report["solar"]["existing_systems"])
    assert existing == pytest.approx(simulated * 1.5, rel=1e-3)


def test_no_linked_device_leaves_the_scan_as_before(owner, dossier, stub_broker):
    scan = _submit_and_run(owner, dossier)
    assert "measured_production" not in scan.inputs
    assert "measured_vs_simulated" not in scan.report["solar"]
    assert scan.report["accuracy"]["max_score"] == 3
