from datetime import timedelta

from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken


def test_token_endpoint_issues_working_jwt(owner, anon):
    response = anon.post(
        "/v1/auth/token", {"email": "owner@zon.test", "password": "pw-owner-123"}, format="json"
    )
    assert response.status_code == 200, response.content
    tokens = response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get("/v1/dossiers").status_code == 200

    refreshed = anon.post("/v1/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 200 and refreshed.json()["access"]


def test_wrong_password_is_401(owner, anon):
    response = anon.post("/v1/auth/token", {"email": "owner@zon.test", "password": "nope"}, format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_expired_jwt_is_401(owner):
    token = AccessToken.for_user(owner.user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get("/v1/dossiers")
    assert response.status_code == 401
    assert response.json()["status"] == 401
