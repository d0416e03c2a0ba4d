"""API keys: create (the raw key is shown once, on the next page), list with prefix and last use, revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.organizations.selectors import api_key_get, api_key_list
from apps.organizations.services import api_key_create, api_key_revoke
from apps.portal.forms import ApiKeyForm
from apps.portal.views.base import portal_view, require_manager

NEW_KEY_SESSION = "portal_new_api_key"


def _index(request, form, status=200):
    keys = api_key_list(organization=request.organization)
    return render(request, "portal/settings/api_keys.html", {"keys": keys, "form": form}, status=status)


@portal_view
def api_key_index(request):
    return _index(request, ApiKeyForm())


@portal_view
@require_POST
def api_key_new(request):
    require_manager(request)
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    issued = api_key_create(
        organization=request.organization, name=form.cleaned_data["name"], created_by=request.user
    )
    # Kept in the session for exactly one page view, then gone; only the hash is stored.
    request.session[NEW_KEY_SESSION] = {"id": issued.api_key.pk, "raw": issued.raw_key}
    return redirect("portal:api_key_created")


@portal_view
def api_key_created(request):
    shown = request.session.pop(NEW_KEY_SESSION, None)
    if not shown:
        return redirect("portal:api_key_index")
    api_key = api_key_get(organization=request.organization, key_id=shown["id"])
    return render(
        request, "portal/settings/api_key_created.html", {"api_key": api_key, "raw_key": shown["raw"]}
    )


@portal_view
@require_http_methods(["GET", "POST"])
def api_key_revoke_view(request, pk: str):
    api_key = api_key_get(organization=request.organization, key_id=pk)
    require_manager(request)
    if request.method == "POST":
        api_key_revoke(api_key=api_key)
        messages.success(request, _("Key “%(name)s” revoked.") % {"name": api_key.name})
        return redirect("portal:api_key_index")
    return render(request, "portal/settings/api_key_revoke.html", {"api_key": api_key})
