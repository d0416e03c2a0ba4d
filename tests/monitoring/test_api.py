"""/v1/dossiers/{id}/installed-design and /performance: shapes, field errors, and the tenant walls."""

import datetime as dt

import pytest

from apps.dossiers.services import dossier_create
from apps.monitoring import services
from apps.proposals.services import proposal_answer
from tests.monitoring.support import DE_BILT, ROOF, roof_expected, store_inverter_readings, typical_readings
from tests.proposals import conftest as proposal_fixtures

proposal_result, scan = proposal_fixtures.proposal_result, proposal_fixtures.scan  # fixtures
make_proposal = proposal_fixtures.make_proposal
UTC = dt.UTC
INSTALL = dt.date(2025, 3, 1)
BODY = {
    "installDate": "2025-03-01",
    "arrays": [{"panelCount": 10, "panelPowerWatts": 400, "tiltDeg": 35, "azimuthDeg": 180, "lossesPct": 14}],
    "battery": {"capacityKwh": 5.0, "powerKw": 2.5},
}


@pytest.fixture
def dossier(owner):
    return dossier_create(
        organization=owner.organization,
        customer_name="Fam. Bakker",
        latitude=DE_BILT[0],
        longitude=DE_BILT[1],
    )


def _url(dossier, what="performance"):
    return f"/v1/dossiers/{dossier.pk}/{what}"


def test_put_then_read_the_performance(owner, dossier):
    readings = typical_readings(
        roof_expected(),
        dt.datetime(2025, 2, 28, 23, tzinfo=UTC),
        dt.datetime(2025, 5, 31, 23, tzinfo=UTC),
        lambda h: 1.0,
    )
    store_inverter_readings(dossier, readings)
    client = owner.key_client()
    put = client.put(_url(dossier, "installed-design"), BODY, format="json")
    assert put.status_code == 200, put.content
    assert put.json()["kwp"] == 4.0 and put.json()["source"] == "manual"
    assert put.json()["arrays"][0]["panelPowerWatts"] == 400

    body = client.get(_url(dossier)).json()
    assert set(body) == {"dossierId", "installedDesign", "months", "sinceInstallation", "alert"}
    march = body["months"][0]
    assert march["month"] == "2025-03"
    assert set(march) >= {
        "expectedLowKwh",
        "expectedKwh",
        "expectedHighKwh",
        "actualKwh",
        "ratio",
        "coverage",
        "status",
    }
    assert march["expectedLowKwh"] < march["expectedKwh"] < march["expectedHighKwh"]
    assert march["ratio"] == pytest.approx(1.0, rel=1e-6) and march["coverage"] == 1.0
    june = next(m for m in body["months"] if m["month"] == "2025-06")
    assert june["actualKwh"] is None and june["ratio"] is None and june["status"] == "missing"
    assert body["sinceInstallation"]["ratio"] == pytest.approx(1.0, rel=1e-6)
    assert body["alert"] is None


def test_bad_input_names_the_field(owner, dossier):
    client = owner.key_client()
    bad = {**BODY, "arrays": [{**BODY["arrays"][0], "tiltDeg": 95}]}
    response = client.put(_url(dossier, "installed-design"), bad, format="json")
    assert response.status_code == 400
    assert "tiltDeg" in str(response.json()["errors"])
    future = {**BODY, "installDate": (dt.date.today() + dt.timedelta(days=30)).isoformat()}
    response = client.put(_url(dossier, "installed-design"), future, format="json")
    assert response.status_code == 400 and "installDate" in response.json()["errors"]
    response = client.post(_url(dossier, "installed-design"), {"installDate": "2025-03-01"}, format="json")
    assert response.status_code == 400 and "proposalId" in response.json()["errors"]


def test_performance_without_a_design_is_404(owner, dossier):
    response = owner.key_client().get(_url(dossier))
    assert response.status_code == 404 and response.json()["code"] == "no_installed_design"


def test_tenant_walls(owner, member, outsider, dossier):
    services.installed_design_save(dossier=dossier, install_date=INSTALL, arrays=[ROOF])
    assert owner.key_client().get(_url(dossier)).status_code == 200
    assert member.jwt_client().get(_url(dossier)).status_code == 200
    assert member.key_client().get(_url(dossier, "installed-design")).status_code == 200
    for client in (outsider.key_client(), outsider.jwt_client()):
        assert client.get(_url(dossier)).status_code == 404
        assert client.get(_url(dossier, "installed-design")).status_code == 404
        assert client.put(_url(dossier, "installed-design"), BODY, format="json").status_code == 404
    # and the outsider cannot point their own dossier at the owner's scan
    own = dossier_create(organization=outsider.organization, customer_name="X", latitude=52.1, longitude=5.1)
    response = outsider.key_client().post(
        _url(own, "installed-design"), {"installDate": "2025-03-01", "scanId": "x" * 25}, format="json"
    )
    assert response.status_code == 404 and "scanId" in response.json()["errors"]


def test_from_an_accepted_proposal(owner, outsider, scan):
    proposal = make_proposal(owner.organization, scan)
    client = owner.key_client()
    body = {"installDate": "2025-04-01", "proposalId": proposal.pk}
    # not accepted yet: refused, naming the field
    response = client.post(_url(scan.dossier, "installed-design"), body, format="json")
    assert response.status_code == 400 and "proposalId" in response.json()["errors"]
    proposal_answer(
        proposal=proposal,
        decision="accepted",
        content_hash=proposal.content_hash,
        name="A",
        email="a@b.test",
        terms_accepted=True,
    )
    response = client.post(_url(scan.dossier, "installed-design"), body, format="json")
    assert response.status_code == 201, response.content
    design = response.json()
    new_pv = proposal.snapshot["design"]["new_pv"]
    assert design["source"] == "proposal" and design["sourceId"] == proposal.pk
    assert [a["panelCount"] for a in design["arrays"]] == [
        a["panel_count"] for a in new_pv if a["panel_count"]
    ]
    assert design["arrays"][0]["lossesPct"] == pytest.approx(new_pv[0]["losses"] * 100)
    # another organization cannot use it
    own = dossier_create(organization=outsider.organization, customer_name="X", latitude=52.1, longitude=5.1)
    response = outsider.key_client().post(_url(own, "installed-design"), body, format="json")
    assert response.status_code == 404 and "proposalId" in response.json()["errors"]


def test_from_a_completed_scan(owner, scan):
    response = owner.key_client().post(
        _url(scan.dossier, "installed-design"),
        {"installDate": "2025-04-01", "scanId": scan.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "scan" and response.json()["arrays"]
