"""The organization switcher: a user in several organizations picks the one the portal works in. The
choice lives in the session; every portal view still resolves it through the user's own memberships."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.organizations.selectors import user_membership
from apps.portal.views.base import SESSION_ORGANIZATION, portal_view


@portal_view
@require_POST
def switch_organization(request):
    membership = user_membership(user=request.user, organization_id=request.POST.get("organization", ""))
    if membership is None:
        raise Http404("You are not a member of that organization.")
    request.session[SESSION_ORGANIZATION] = str(membership.organization_id)
    return redirect("portal:dashboard")
