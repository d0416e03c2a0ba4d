"""Scan actors: thin wrappers around services. Messages carry only the scan id."""

import dramatiq

from apps.scans import services

# Transient failures raise TransientScanError and are retried with backoff; every other failure is
# recorded on the scan by the service and not retried. The time limit stops a runaway engine call.
RUN_SCAN_TIME_LIMIT_MS = int(services.SCAN_TIME_LIMIT.total_seconds() * 1000)


@dramatiq.actor(
    queue_name="scans",
    max_retries=services.MAX_ATTEMPTS - 1,
    min_backoff=5_000,
    max_backoff=120_000,
    time_limit=RUN_SCAN_TIME_LIMIT_MS,
    retry_when=lambda retries, exc: (
        isinstance(exc, services.TransientScanError) and retries < services.MAX_ATTEMPTS - 1
    ),
)
def run_scan(scan_id: str) -> None:
    services.scan_run(scan_id=scan_id)


@dramatiq.actor(queue_name="scans", max_retries=0)
def sweep_stuck_scans() -> None:
    """Mark scans stuck in processing/running past their limit as error (schedule every few minutes)."""
    services.scans_sweep_stuck()
