import pytest

from apps.dossiers.models import Dossier
from apps.dossiers.services import dossier_create


@pytest.fixture
def dossier(owner):
    return dossier_create(organization=owner.organization, customer_name="Fam. Bakker", reference="D-1")


@pytest.mark.parametrize("auth", ["key_client", "jwt_client"])
def test_crud_round_trip(owner, auth):
    client = getattr(owner, auth)()
    created = client.post(
        "/v1/dossiers",
        {"customerName": "Fam. Smit", "reference": "R-9", "latitude": 52.1, "longitude": 5.1},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert set(body) >= {"id", "customerName", "reference", "createdAt", "updatedAt"}
    assert len(body["id"]) == 25 and body["id"].islower()

    updated = client.patch(f"/v1/dossiers/{body['id']}", {"notes": "zuiddak"}, format="json")
    assert updated.status_code == 200 and updated.json()["notes"] == "zuiddak"
    assert client.get(f"/v1/dossiers/{body['id']}").json()["customerName"] == "Fam. Smit"
    assert client.delete(f"/v1/dossiers/{body['id']}").status_code == 204
    assert not Dossier.objects.filter(pk=body["id"]).exists()


@pytest.mark.parametrize("auth", ["key_client", "jwt_client"])
def test_other_organization_sees_404_and_cannot_change(dossier, outsider, auth):
    client = getattr(outsider, auth)()
    assert client.get(f"/v1/dossiers/{dossier.id}").status_code == 404
    assert client.patch(f"/v1/dossiers/{dossier.id}", {"notes": "x"}, format="json").status_code == 404
    assert client.delete(f"/v1/dossiers/{dossier.id}").status_code == 404
    listed = client.get("/v1/dossiers").json()
    assert listed["total"] == 0 and listed["items"] == []
    dossier.refresh_from_db()
    assert dossier.notes == ""


def test_member_sees_the_organization_dossiers(dossier, member):
    listed = member.jwt_client().get("/v1/dossiers").json()
    assert [item["id"] for item in listed["items"]] == [dossier.id]


def test_pagination_shape_and_cap(owner):
    for n in range(23):
        dossier_create(organization=owner.organization, customer_name=f"Klant {n}")
    client = owner.key_client()
    page = client.get("/v1/dossiers", {"page": 2, "limit": 10, "unknownParam": "ignored"}).json()
    assert set(page) == {"items", "total", "page", "limit", "totalPages"}
    # 23 dossiers at 10 per page: pages 10, 10, 3 (ceil(23/10) = 3)
    assert (page["total"], page["page"], page["limit"], page["totalPages"], len(page["items"])) == (
        23,
        2,
        10,
        3,
        10,
    )
    capped = client.get("/v1/dossiers", {"limit": 5000}).json()
    assert capped["limit"] == 100 and len(capped["items"]) == 23
    beyond = client.get("/v1/dossiers", {"page": 9}).json()
    assert beyond["items"] == [] and beyond["total"] == 23


def test_invalid_body_names_each_field(owner):
    response = owner.key_client().post(
        "/v1/dossiers", {"customerName": "", "latitude": 91, "longitude": "east"}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert set(errors) == {"customerName", "latitude", "longitude"}
    assert Dossier.objects.count() == 0


def test_invalid_paging_is_400_naming_the_field(owner):
    response = owner.key_client().get("/v1/dossiers", {"limit": 0})
    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


def test_search(owner, dossier):
    dossier_create(organization=owner.organization, customer_name="Fam. Visser", address="Dorpsstraat 1")
    items = owner.key_client().get("/v1/dossiers", {"search": "dorps"}).json()["items"]
    assert [item["customerName"] for item in items] == ["Fam. Visser"]
