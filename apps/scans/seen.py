"""`hasSeenReport`: set once the full report of a completed scan has been read (API or share link)."""

from apps.scans.models import Scan


def scan_report_seen(*, scan: Scan) -> None:
    if not scan.has_seen_report:
        Scan.objects.filter(pk=scan.pk, has_seen_report=False).update(has_seen_report=True)
        scan.has_seen_report = True
