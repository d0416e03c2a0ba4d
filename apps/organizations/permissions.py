from rest_framework.permissions import BasePermission

from apps.organizations.selectors import organization_for_request


class HasOrganization(BasePermission):
    """Authenticated and acting for an organization; sets `request.organization` for scoping."""

    message = "You are not a member of any organization."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        request.organization = organization_for_request(request)
        return request.organization is not None
