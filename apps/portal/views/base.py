"""Tenant resolution for every portal view, in one place.

`portal_view` logs the user in, finds the organization from the session user's membership and sets
`request.organization` and `request.membership`. Views read tenant rows only through the owning app's
selectors (each scoped by `for_organization`), whose NotFound becomes the 404 page here: another
organization's object is a 404, never a 403 or a leak.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from apps.common.errors import AppError, NotFound
from apps.organizations.models import Membership
from apps.organizations.selectors import membership_for, organization_for_request, user_membership

SESSION_ORGANIZATION = "portal_organization"


def resolve_membership(request) -> Membership | None:
    """The session user's membership (cached on the request): the organization chosen in the switcher if
    they are still a member of it, else the first one; None when they belong to no organization."""
    if not hasattr(request, "_portal_membership"):
        chosen = request.session.get(SESSION_ORGANIZATION) if hasattr(request, "session") else None
        membership = user_membership(user=request.user, organization_id=chosen)
        if membership is None:
            organization = organization_for_request(request)
            membership = membership_for(request.user, organization) if organization is not None else None
        request._portal_membership = membership
    return request._portal_membership


def portal_view(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = resolve_membership(request)
        if membership is None:
            raise Http404("You are not a member of any organization.")
        request.membership = membership
        request.organization = membership.organization
        try:
            return view(request, *args, **kwargs)
        except (Http404, NotFound):
            # The product's own page in every configuration (with DEBUG on, Django would show its
            # technical page listing the site's URLs).
            return render(request, "404.html", status=404)

    return wrapper


def require_manager(request) -> None:
    """Settings changes: owners and admins only; a plain member of the same organization gets 403."""
    if not request.membership.can_manage:
        raise PermissionDenied("Only owners and admins can change organization settings.")


def report_app_error(request, error: AppError) -> None:
    messages.error(request, error.detail)
