"""Webhook endpoints: add (the signing secret is shown once), switch on/off, delete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.organizations.models import WebhookEndpoint
from apps.organizations.selectors import (
    webhook_deliveries_recent,
    webhook_delivery_get,
    webhook_endpoint_get,
    webhook_endpoint_list,
)
from apps.organizations.services import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_set_active,
)
from apps.organizations.webhooks import webhook_replay
from apps.portal.forms import EVENT_LABELS, WebhookForm
from apps.portal.views.base import portal_view, require_manager

NEW_SECRET_SESSION = "portal_new_webhook"


def _endpoint(request, pk: str) -> WebhookEndpoint:
    return webhook_endpoint_get(organization=request.organization, endpoint_id=pk)


def _index(request, form, status=200):
    endpoints = webhook_endpoint_list(organization=request.organization)
    return render(
        request,
        "portal/settings/webhooks.html",
        {
            "endpoints": endpoints,
            "form": form,
            "event_labels": EVENT_LABELS,
            "deliveries": webhook_deliveries_recent(organization=request.organization),
        },
        status=status,
    )


@portal_view
def webhook_index(request):
    return _index(request, WebhookForm())


@portal_view
@require_POST
def webhook_new(request):
    require_manager(request)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _index(request, form, status=400)
    endpoint = webhook_endpoint_create(
        organization=request.organization, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
    )
    request.session[NEW_SECRET_SESSION] = endpoint.pk
    return redirect("portal:webhook_created")


@portal_view
def webhook_created(request):
    pk = request.session.pop(NEW_SECRET_SESSION, None)
    if not pk:
        return redirect("portal:webhook_index")
    endpoint = _endpoint(request, pk)
    return render(request, "portal/settings/webhook_created.html", {"endpoint": endpoint})


@portal_view
@require_POST
def webhook_toggle(request, pk: str):
    endpoint = _endpoint(request, pk)
    require_manager(request)
    webhook_endpoint_set_active(endpoint=endpoint, active=not endpoint.active)
    if endpoint.active:
        messages.success(request, _("Endpoint switched on."))
    else:
        messages.success(request, _("Endpoint paused: no events are sent to it."))
    return redirect("portal:webhook_index")


@portal_view
@require_http_methods(["GET", "POST"])
def webhook_remove(request, pk: str):
    endpoint = _endpoint(request, pk)
    require_manager(request)
    if request.method == "POST":
        webhook_endpoint_delete(endpoint=endpoint)
        messages.success(request, _("Endpoint deleted."))
        return redirect("portal:webhook_index")
    return render(request, "portal/settings/webhook_remove.html", {"endpoint": endpoint})


@portal_view
@require_POST
def webhook_delivery_replay(request, pk: str):
    """Send a delivery again with the same webhook-id (receivers dedupe on it)."""
    delivery = webhook_delivery_get(organization=request.organization, delivery_id=pk)
    require_manager(request)
    webhook_replay(delivery=delivery)
    messages.success(request, _("The delivery is being sent again."))
    return redirect("portal:webhook_index")
