from django.shortcuts import render
from django.utils import timezone

from apps.dossiers.selectors import dossier_list
from apps.organizations.selectors import membership_list
from apps.portal.views.base import portal_view
from apps.reports.context import with_savings
from apps.scans.activity import scans_started_since
from apps.scans.selectors import scan_list, scan_usage_this_month

RECENT_DOSSIERS = 5
RECENT_SCANS = 8


def _scans_this_month(organization) -> int:
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return scans_started_since(organization=organization, since=start)


@portal_view
def dashboard(request):
    organization = request.organization
    dossiers = dossier_list(organization=organization)
    context = {
        "organization": organization,
        "recent_dossiers": dossiers[:RECENT_DOSSIERS],
        "dossier_count": dossiers.count(),
        "member_count": membership_list(organization=organization).count(),
        "recent_scans": with_savings(scan_list(organization=organization).select_related("dossier"))[
            :RECENT_SCANS
        ],
        "usage": scan_usage_this_month(organization=organization),
        "scans_this_month": _scans_this_month(organization),
    }
    return render(request, "portal/dashboard.html", context)
