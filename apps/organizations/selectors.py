"""Reads: which organization a request acts for."""

from apps.organizations.models import ApiKey, Membership, Organization, WebhookDelivery

ORGANIZATION_HEADER = "HTTP_X_ORGANIZATION"


def membership_for(user, organization: Organization) -> Membership | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return None
    return Membership.objects.filter(user=user, organization=organization).first()


def organization_for_request(request) -> Organization | None:
    """The caller's organization: the API key's, or the user's (chosen by X-Organization slug if several)."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        return auth.organization
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        return None
    memberships = Membership.objects.filter(user=user).select_related("organization")
    wanted = request.META.get(ORGANIZATION_HEADER)
    if wanted:
        memberships = memberships.filter(organization__slug=wanted)
    membership = memberships.order_by("created_at").first()
    return membership.organization if membership else None


def webhook_deliveries_recent(*, organization: Organization, limit: int = 20):
    """The organization's latest webhook deliveries, newest first, with their endpoint."""
    return WebhookDelivery.objects.filter(endpoint__organization=organization).select_related("endpoint")[
        :limit
    ]
