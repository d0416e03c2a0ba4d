from django.shortcuts import render

from apps.dossiers.selectors import dossier_list
from apps.portal.views.base import portal_view

RECENT_DOSSIERS = 5


@portal_view
def dashboard(request):
    organization = request.organization
    dossiers = dossier_list(organization=organization)
    context = {
        "organization": organization,
        "recent_dossiers": dossiers[:RECENT_DOSSIERS],
        "dossier_count": dossiers.count(),
        "member_count": organization.memberships.count(),
        # Scans are counted here once apps.scans offers a monthly usage selector.
    }
    return render(request, "portal/dashboard.html", context)
