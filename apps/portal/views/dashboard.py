from django.shortcuts import render

from apps.dossiers.selectors import dossier_list
from apps.portal.reporting import with_savings
from apps.portal.views.base import portal_view
from apps.scans.selectors import scan_list, scan_usage_this_month

RECENT_DOSSIERS = 5
RECENT_SCANS = 8


@portal_view
def dashboard(request):
    organization = request.organization
    dossiers = dossier_list(organization=organization)
    context = {
        "organization": organization,
        "recent_dossiers": dossiers[:RECENT_DOSSIERS],
        "dossier_count": dossiers.count(),
        "member_count": organization.memberships.count(),
        "recent_scans": with_savings(scan_list(organization=organization).select_related("dossier"))[
            :RECENT_SCANS
        ],
        "usage": scan_usage_this_month(organization=organization),
    }
    return render(request, "portal/dashboard.html", context)
