"""Device-link actors: thin wrappers around services. Messages carry only ids."""

import datetime

import dramatiq
from django.db import transaction

from apps.common.outbox import outbox_enqueue
from apps.devices import services

SYNC_TIME_LIMIT_MS = 30 * 60 * 1000  # a first sync reads a year of history
# A job stops between chunks before this much is spent [s], leaving room for the last chunk and the save;
# a first sync paced at 10 calls a minute (~390 calls, ~39 min) continues in a second job.
SYNC_BUDGET_S = 0.75 * SYNC_TIME_LIMIT_MS / 1000


MIN_RETRY_DELAY_MS = 30_000


class TransientSyncError(dramatiq.Retry):
    """The vendor was unavailable or throttled us; the sync resumes from its cursor on retry, no sooner than
    the vendor asked (Retry-After, or the 409's period_end): dramatiq's Retries honours `delay`."""

    def __init__(self, message: str, retry_after_s: float | None = None):
        delay = None if retry_after_s is None else max(MIN_RETRY_DELAY_MS, int(retry_after_s * 1000))
        super().__init__(message, delay=delay)


@dramatiq.actor(
    queue_name="devices",
    max_retries=5,
    min_backoff=30_000,
    max_backoff=30 * 60_000,
    time_limit=SYNC_TIME_LIMIT_MS,
    retry_when=lambda retries, exc: isinstance(exc, TransientSyncError) and retries < 5,
)
def sync_link(link_id: str) -> None:
    result = services.link_sync(link_id=link_id, budget_s=SYNC_BUDGET_S)
    if result.resume:  # a long first sync continues in a fresh job (its cursor kept every finished chunk)
        with transaction.atomic():
            outbox_enqueue("apps.devices.jobs.sync_link", link_id)
        return
    if result.retryable:
        raise TransientSyncError(result.error, result.retry_after)


def refresh_interval() -> datetime.timedelta:
    from django.conf import settings

    return datetime.timedelta(seconds=settings.DEVICES_REFRESH_INTERVAL_S)


def queue_due_refreshes() -> None:
    """Queue a sync for every linked device not synced within the refresh interval."""
    for link_id in services.links_queue_refresh(max_age=refresh_interval()):
        sync_link.send(link_id)
