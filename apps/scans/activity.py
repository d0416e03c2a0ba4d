"""How busy an organization is, for its dashboard (a selector of its own beside apps.scans.selectors)."""

from datetime import datetime

from apps.organizations.models import Organization
from apps.scans.models import Scan


def scans_started_since(*, organization: Organization, since: datetime) -> int:
    """New scans (adjustments of a scan not counted) the organization started since `since`. The quota
    counter (`scan_usage_this_month`) counts for free plans only; this count is shown to every plan."""
    return (
        Scan.objects.for_organization(organization)
        .filter(created_at__gte=since, copied_from__isnull=True)
        .count()
    )
