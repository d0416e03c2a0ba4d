"""Reads: which organization a request acts for, and the organization's own rows (members, API keys, webhook
endpoints and deliveries), each through `for_organization` (apps.organizations.tenancy)."""

from django.db.models import QuerySet

from apps.common.errors import NotFound
from apps.organizations.models import ApiKey, Membership, Organization, WebhookDelivery, WebhookEndpoint

ORGANIZATION_HEADER = "HTTP_X_ORGANIZATION"


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "pk", None))


def membership_for(user, organization: Organization | None) -> Membership | None:
    if not _signed_in(user):
        return None
    return Membership.objects.for_organization(organization).filter(user=user).first()


def user_memberships(*, user) -> QuerySet[Membership]:
    """Every organization the user belongs to (oldest membership first: the default choice)."""
    if not _signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization").order_by("created_at")


def user_membership(*, user, organization_id) -> Membership | None:
    """The user's own membership of the organization with this id, None when they are not a member."""
    if not organization_id:
        return None
    return user_memberships(user=user).filter(organization_id=organization_id).first()


def organization_for_request(request) -> Organization | None:
    """The caller's organization: the API key's, or the user's (chosen by X-Organization slug if several)."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        return auth.organization
    memberships = user_memberships(user=getattr(request, "user", None))
    wanted = request.META.get(ORGANIZATION_HEADER)
    if wanted:
        memberships = memberships.filter(organization__slug=wanted)
    membership = memberships.first()
    return membership.organization if membership else None


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.for_organization(organization).select_related("user").order_by("created_at")


def membership_get(*, organization: Organization, membership_id) -> Membership:
    """The organization's membership, or NotFound (another organization's is indistinguishable from none)."""
    membership = membership_list(organization=organization).filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("No member with this id.")
    return membership


def member_email_taken(*, organization: Organization, email: str) -> bool:
    return membership_list(organization=organization).filter(user__email__iexact=email).exists()


def api_key_list(*, organization: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_organization(organization).select_related("created_by")


def api_key_get(*, organization: Organization, key_id) -> ApiKey:
    api_key = api_key_list(organization=organization).filter(pk=key_id).first()
    if api_key is None:
        raise NotFound("No API key with this id.")
    return api_key


def webhook_endpoint_list(*, organization: Organization) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.for_organization(organization)


def webhook_endpoint_get(*, organization: Organization, endpoint_id) -> WebhookEndpoint:
    endpoint = webhook_endpoint_list(organization=organization).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound("No webhook endpoint with this id.")
    return endpoint


def webhook_delivery_get(*, organization: Organization, delivery_id) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.for_organization(organization).filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound("No webhook delivery with this id.")
    return delivery


def webhook_deliveries_recent(*, organization: Organization, limit: int = 20):
    """The organization's latest webhook deliveries, newest first, with their endpoint."""
    return WebhookDelivery.objects.for_organization(organization).select_related("endpoint")[:limit]
