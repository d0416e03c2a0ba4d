from django.core.management.base import BaseCommand

from apps.scans.services import STUCK_PROCESSING_AFTER, STUCK_RUNNING_AFTER, scans_sweep_stuck


class Command(BaseCommand):
    help = (
        f"Recover scans stuck in running (> {STUCK_RUNNING_AFTER}: run once more, then error) or processing "
        f"(job sent > {STUCK_PROCESSING_AFTER} ago and never claimed: send again, then error). Every worker "
        "process runs this every SCAN_SWEEP_INTERVAL_S seconds; this command runs it by hand."
    )

    def handle(self, *args, **options):
        swept = scans_sweep_stuck()
        self.stdout.write(f"{len(swept['requeued'])} stuck scan(s) queued again")
        for scan_id in swept["requeued"]:
            self.stdout.write(scan_id)
        self.stdout.write(f"{len(swept['failed'])} stuck scan(s) marked as error")
        for scan_id in swept["failed"]:
            self.stdout.write(scan_id)
