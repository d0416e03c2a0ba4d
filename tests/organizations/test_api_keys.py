from datetime import UTC, datetime

from apps.organizations.keys import hash_key, split_prefix
from apps.organizations.models import ApiKey
from apps.organizations.services import api_key_create, api_key_revoke


def test_raw_key_is_never_stored_only_its_hash(owner):
    issued = api_key_create(organization=owner.organization, name="integration")
    row = ApiKey.objects.get(pk=issued.api_key.pk)
    stored = [str(value) for value in row.__dict__.values()]
    assert issued.raw_key not in stored
    assert row.key_hash == hash_key(issued.raw_key)
    assert row.prefix == split_prefix(issued.raw_key)
    assert issued.raw_key.startswith(f"ssk_{row.prefix}_")


def test_key_authenticates_and_records_last_use(owner):
    response = owner.key_client().get("/v1/dossiers")
    assert response.status_code == 200
    assert ApiKey.objects.filter(organization=owner.organization, last_used_at__isnull=False).exists()


def test_revoked_key_gets_401_json(owner):
    client = owner.key_client()
    api_key_revoke(api_key=ApiKey.objects.get(organization=owner.organization, name="test"))
    response = client.get("/v1/dossiers")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "This API key has been revoked."


def test_unknown_and_malformed_keys_get_401(owner, anon):
    raw = owner.api_key
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    for bad in (tampered, "not-a-key", "ssk_zzzzzzzzzzzz_whatever"):
        anon.credentials(HTTP_X_API_KEY=bad)
        response = anon.get("/v1/dossiers")
        assert response.status_code == 401, bad
        assert response.json()["status"] == 401


def test_no_credentials_gets_401(anon, db):
    response = anon.get("/v1/dossiers")
    assert response.status_code == 401
    assert response.json()["title"]


def test_webhook_secrets_follow_the_standard_webhooks_format(owner):
    """Standard Webhooks: the secret is `whsec_` + base64 of the key bytes; the library must accept and sign
    with every secret we issue (a url-safe token would break about one in four)."""
    from standardwebhooks import Webhook

    from apps.organizations.services import webhook_endpoint_create

    for n in range(40):
        endpoint = webhook_endpoint_create(
            organization=owner.organization, url=f"https://example.test/{n}", events=[]
        )
        signature = Webhook(endpoint.secret).sign("msg_1", datetime.now(UTC), "{}")
        assert signature.startswith("v1,")
