"""POD errors in the portal's language: English by default on the API, Dutch when asked for."""

import pytest

from tests.devices import support

dossier = support.dossier  # fixture


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "en",
            "POD must be 19 characters (2-letter country code, 3-character distributor code, 14 letters/digits); got 18",
        ),
        ("nl", "De POD moet 19 tekens lang zijn"),
    ],
)
def test_malformed_pod_is_explained_in_the_users_language(owner, dossier, language, expected):
    response = owner.key_client().post(
        "/v1/device-links",
        {
            "dossierId": dossier.id,
            "provider": "pod",
            "pod": "IT001E1234567890AB",  # the API document's own example: 18 characters
            "accountNumber": "42",
            "companyCode": "ACME",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    assert expected in response.json()["errors"]["pod"][0]
