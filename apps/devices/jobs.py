"""Device-link actors: thin wrappers around services. Messages carry only ids."""

import dramatiq

from apps.devices import services
from apps.devices.models import DeviceLink

SYNC_TIME_LIMIT_MS = 30 * 60 * 1000  # a first sync reads a year of history


class TransientSyncError(Exception):
    """The vendor was unavailable or throttled us; the sync resumes from its cursor on retry."""


@dramatiq.actor(
    queue_name="devices",
    max_retries=5,
    min_backoff=30_000,
    max_backoff=30 * 60_000,
    time_limit=SYNC_TIME_LIMIT_MS,
    retry_when=lambda retries, exc: isinstance(exc, TransientSyncError) and retries < 5,
)
def sync_link(link_id: str) -> None:
    result = services.link_sync(link_id=link_id)
    if result.retryable:
        raise TransientSyncError(result.error)


@dramatiq.actor(queue_name="devices", max_retries=0)
def refresh_links() -> None:
    """Periodic refresh (schedule e.g. hourly): queue a sync for every linked device."""
    for link_id in DeviceLink.objects.filter(status=DeviceLink.Status.LINKED).values_list("pk", flat=True):
        sync_link.send(link_id)
