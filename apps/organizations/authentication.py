"""`x-api-key` authentication: the key acts for its organization."""

from rest_framework import authentication, exceptions

from apps.common import lockout
from apps.common.prepared import PreparedValues, instance_from_row, model_columns
from apps.organizations.keys import key_matches, split_prefix
from apps.organizations.models import ApiKey, Organization
from apps.organizations.services import api_key_touch


class ApiKeyPrincipal:
    """The request.user of an API-key call: authenticated, but not a person."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key

    def __str__(self) -> str:
        return f"api-key:{self.api_key.prefix}"


_KEY_WITH_ORGANIZATION = PreparedValues(
    lambda slot: (
        ApiKey.objects.filter(prefix=slot("prefix"))
        .order_by()
        .values(*model_columns(ApiKey), *model_columns(Organization, prefix="organization__"))
    )
)


def _api_key_by_prefix(prefix: str) -> ApiKey | None:
    """The key with this (unique) prefix and its organization, or None: on every API request, so compiled
    once (issue 18)."""
    rows = _KEY_WITH_ORGANIZATION.run(prefix=prefix)
    if not rows:
        return None
    api_key = instance_from_row(ApiKey, rows[0])
    api_key.organization = instance_from_row(Organization, rows[0], prefix="organization__")
    return api_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    header = "HTTP_X_API_KEY"

    def authenticate(self, request):
        raw = request.META.get(self.header)
        if not raw:
            return None
        address = lockout.client_address(request)
        wait = lockout.retry_after((lockout.API_KEY_PER_ADDRESS, address))
        if wait:
            raise exceptions.Throttled(wait=wait)
        prefix = split_prefix(raw.strip())
        api_key = _api_key_by_prefix(prefix) if prefix else None
        if api_key is None or not key_matches(raw.strip(), api_key.key_hash):
            lockout.record_failure(lockout.API_KEY_PER_ADDRESS, address)
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if not api_key.is_active:
            lockout.record_failure(lockout.API_KEY_PER_ADDRESS, address)
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        api_key_touch(api_key=api_key)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return "x-api-key"
