"""Reads for scans. Every organization-facing read goes through `Scan.objects.for_organization`."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from apps.common.errors import Gone, NotFound
from apps.common.prepared import PreparedValues, instance_from_row, model_columns
from apps.organizations.models import Organization
from apps.scans.models import RevokedShareLink, Scan, ScanSeries, ScanUsage, share_token_digest

LIST_DEFERRED = ("inputs", "report")


def _adjustment_count() -> RawSQL:
    """Each listed scan's number of adjustments, as a correlated subquery in the row's SELECT.

    Why not a join + GROUP BY (the page's COUNT(*) then counted a join) nor the ORM's Subquery (it deep-copies
    its inner query on every clone of the outer one: about 1 ms of a 7 ms list request, issue 18): plain SQL
    naming the outer table, so it is only right while `scans_scan` is the query's own table (never nest
    these querysets inside another Scan query)."""
    table = connection.ops.quote_name(Scan._meta.db_table)
    parent = connection.ops.quote_name(Scan._meta.get_field("copied_from").column)
    key = connection.ops.quote_name(Scan._meta.pk.column)
    return RawSQL(
        f'SELECT COUNT(*) FROM {table} AS "adjustment" WHERE "adjustment".{parent} = {table}.{key}',
        (),
        output_field=IntegerField(),
    )


def scan_list(*, organization: Organization, dossier_id: str | None = None) -> QuerySet[Scan]:
    scans = (
        Scan.objects.for_organization(organization)
        .defer(*LIST_DEFERRED)
        .annotate(adjustment_count=_adjustment_count())
        .order_by("-created_at", "id")
    )
    if dossier_id:
        scans = scans.filter(dossier_id=dossier_id)
    return scans


_ORGANIZATION_SCAN = PreparedValues(
    lambda slot: (
        Scan.objects.for_organization(Organization(pk=slot("organization")))
        .filter(pk=slot("scan"))
        .order_by()
        .values(*model_columns(Scan))
    )
)


def scan_get(*, organization: Organization | None, scan_id: str) -> Scan:
    """The organization's scan, or NotFound (another organization's scan is indistinguishable from none).
    Read on every scan request, so compiled once (issue 18)."""
    rows = _ORGANIZATION_SCAN.run(organization=organization.pk, scan=scan_id) if organization else []
    if not rows:
        raise NotFound("No scan with this id.")
    return instance_from_row(Scan, rows[0])


def scan_get_public(*, scan_id: str) -> Scan:
    """A scan created without an organization (anonymous GET); organization scans are NotFound here. `get`
    rather than `first`: a primary-key lookup needs no `ORDER BY` (issue 18)."""
    try:
        return Scan.objects.filter(organization__isnull=True).get(pk=scan_id)
    except Scan.DoesNotExist:
        raise NotFound("No scan with this id.") from None


def scan_by_share_token(*, token: str) -> Scan:
    scan = (
        Scan.objects.select_related("organization")
        .filter(share_token=token, status=Scan.Status.COMPLETED)
        .exclude(share_token__isnull=True)
        .first()
        if token
        else None
    )
    if (
        scan is None
        and token
        and RevokedShareLink.objects.filter(token_digest=share_token_digest(token)).exists()
    ):
        raise Gone("This share link has been withdrawn by the installer.")
    if scan is None:
        raise NotFound("This share link does not exist.")
    return scan


def scan_adjustments(*, scan: Scan) -> QuerySet[Scan]:
    return (
        Scan.objects.filter(copied_from=scan)
        .defer(*LIST_DEFERRED)
        .annotate(adjustment_count=_adjustment_count())
        .order_by("-created_at", "id")
    )


def scan_series(*, scan: Scan) -> ScanSeries | None:
    return ScanSeries.objects.filter(scan=scan).first()


@dataclass(frozen=True)
class MonthlyUsage:
    month: str  # "YYYY-MM", Europe/Amsterdam
    used: int  # scans counted this month (adjustments are free; deletes do not give quota back)
    quota: int | None  # None: no limit (paid plan)

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.used, 0)


def scan_usage_this_month(*, organization: Organization) -> MonthlyUsage:
    month = timezone.localtime().strftime("%Y-%m")
    row = ScanUsage.objects.for_organization(organization).filter(month=month).first()
    quota = None if organization.is_paid else organization.monthly_scan_quota
    return MonthlyUsage(month=month, used=row.count if row else 0, quota=quota)
