"""Device-link actors: thin wrappers around services. Messages carry only ids."""

import datetime
import logging
import threading

import dramatiq
from dramatiq import Middleware

from apps.devices import services

logger = logging.getLogger(__name__)
DEFAULT_REFRESH_INTERVAL_S = 3600.0

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


def refresh_interval() -> datetime.timedelta:
    from apps.devices.vendors import conf_float

    return datetime.timedelta(seconds=conf_float("DEVICES_REFRESH_INTERVAL_S", DEFAULT_REFRESH_INTERVAL_S))


@dramatiq.actor(queue_name="devices", max_retries=0)
def refresh_links() -> None:
    """Queue a sync for every linked device not synced within the refresh interval."""
    for link_id in services.links_queue_refresh(max_age=refresh_interval()):
        sync_link.send(link_id)


class PeriodicRefresh(Middleware):
    """Runs ``refresh_links`` every ``DEVICES_REFRESH_INTERVAL_S`` seconds inside each worker process
    (enable by listing ``apps.devices.jobs.PeriodicRefresh`` in the Dramatiq middleware settings).
    Several processes doing so is harmless: each due link is queued once (conditional UPDATE)."""

    def __init__(self):
        self._stop = threading.Event()

    def after_worker_boot(self, broker, worker):
        self._stop.clear()
        threading.Thread(target=self._loop, name="device-refresh", daemon=True).start()

    def before_worker_shutdown(self, broker, worker):
        self._stop.set()

    def _loop(self) -> None:
        from django.db import close_old_connections

        while not self._stop.wait(refresh_interval().total_seconds()):
            try:
                for link_id in services.links_queue_refresh(max_age=refresh_interval()):
                    sync_link.send(link_id)
            except Exception:  # a database hiccup must not end the loop; the next round retries
                logger.exception("device-link refresh round failed")
            finally:
                close_old_connections()
