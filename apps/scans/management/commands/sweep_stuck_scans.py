from django.core.management.base import BaseCommand

from apps.scans.services import STUCK_PROCESSING_AFTER, STUCK_RUNNING_AFTER, scans_sweep_stuck


class Command(BaseCommand):
    help = (
        f"Mark scans stuck in processing (> {STUCK_PROCESSING_AFTER}) or running (> {STUCK_RUNNING_AFTER}) "
        "as error, with a scan.failed webhook. Run it from cron every few minutes."
    )

    def handle(self, *args, **options):
        swept = scans_sweep_stuck()
        self.stdout.write(f"{len(swept)} stuck scan(s) marked as error")
        for scan_id in swept:
            self.stdout.write(scan_id)
