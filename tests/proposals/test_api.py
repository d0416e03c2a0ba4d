"""/v1/proposals: create/list/get/withdraw with the tenant walls (owner, member, outsider) and problem details."""

from apps.proposals.models import Proposal

from .conftest import past


def _create(client, scan, **changes):
    body = {"scanId": scan.id, "totalInclVat": 9850.0, "panelsPrice": 5200.0, "batteryPrice": 3400.0}
    body.update(changes)
    return client.post("/v1/proposals", body, format="json")


def test_owner_creates_and_member_reads_lists_and_withdraws(owner, member, scan):
    created = _create(owner.key_client(), scan)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1 and body["status"] == "sent" and body["totalInclVat"] == 9850.0
    assert body["scanId"] == scan.id and body["shareToken"] and body["response"] is None
    assert len(body["contentHash"]) == 64
    listed = member.jwt_client().get(f"/v1/proposals?scanId={scan.id}").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]] and listed["total"] == 1
    assert member.key_client().get(f"/v1/proposals/{body['id']}").json()["contentHash"] == body["contentHash"]
    withdrawn = member.key_client().post(f"/v1/proposals/{body['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = member.key_client().post(f"/v1/proposals/{body['id']}/withdraw")
    assert again.status_code == 409 and again["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "proposal_withdrawn"


def test_outsider_sees_404_for_proposal_and_scan(owner, outsider, scan):
    proposal_id = _create(owner.key_client(), scan).json()["id"]
    client = outsider.key_client()
    assert client.get(f"/v1/proposals/{proposal_id}").status_code == 404
    assert client.post(f"/v1/proposals/{proposal_id}/withdraw").status_code == 404
    assert client.get("/v1/proposals").json()["total"] == 0
    foreign = _create(client, scan)
    assert foreign.status_code == 404 and "scanId" in foreign.json()["errors"]
    assert Proposal.objects.filter(organization=outsider.organization).count() == 0


def test_bad_input_is_a_400_naming_the_field(owner, scan):
    client = owner.key_client()
    cases = {
        "totalInclVat": {"totalInclVat": "9850"},  # a string, not a JSON number
        "panelsPrice": {"panelsPrice": -1},
        "validUntil": {"validUntil": past(2).isoformat()},
    }
    for field, change in cases.items():
        answer = _create(client, scan, **change)
        assert answer.status_code == 400, (field, answer.content)
        assert field in answer.json()["errors"], (field, answer.json())
    assert _create(client, scan, totalInclVat=100.0).json()["errors"] == {
        "totalInclVat": ["Must be at least the sum of the line items."]
    }
    assert not Proposal.objects.exists()


def test_expired_reads_as_expired(owner, scan):
    proposal_id = _create(owner.key_client(), scan).json()["id"]
    Proposal.objects.filter(pk=proposal_id).update(valid_until=past(1))
    assert owner.key_client().get(f"/v1/proposals/{proposal_id}").json()["status"] == "expired"


def test_openapi_documents_the_extension(owner):
    schema = owner.key_client().get("/v1/openapi.json").json()
    create = schema["paths"]["/v1/proposals"]["post"]
    assert create["x-extension"] is True and "402" in create["responses"] and "404" in create["responses"]
    assert "proposalsRetrieve" in create["responses"]["201"]["links"]
    assert schema["paths"]["/v1/proposals/{id}/withdraw"]["post"]["x-extension"] is True
