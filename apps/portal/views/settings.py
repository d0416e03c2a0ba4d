"""Organization settings: the overview and branding. Members, API keys and webhooks have their own modules."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.organizations.services import organization_branding_update
from apps.portal.forms import BrandingForm
from apps.portal.views.base import portal_view, require_manager


@portal_view
def settings_overview(request):
    return render(request, "portal/settings/overview.html", {"organization": request.organization})


@portal_view
@require_http_methods(["GET", "POST"])
def branding(request):
    organization = request.organization
    if request.method == "POST":
        require_manager(request)
        form = BrandingForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            organization_branding_update(
                organization=organization,
                enabled=data["enabled"],
                display_name=data["display_name"],
                color=data["color"],
                logo=data["logo"],
                remove_logo=data["remove_logo"],
                proposal_terms=data["proposal_terms"],
            )
            messages.success(request, _("Branding saved."))
            return redirect("portal:branding")
    else:
        form = BrandingForm(
            initial={
                "enabled": organization.branding_enabled,
                "display_name": organization.branding_display_name,
                "color": organization.branding_color or "#0f766e",
                "proposal_terms": organization.proposal_terms,
            }
        )
    return render(request, "portal/settings/branding.html", {"form": form, "organization": organization})
