"""Periodic work inside every worker process, so there is no separate scheduler to deploy or forget.

A subclass names a task (a dotted path to a no-argument function, imported lazily so the middleware can be
listed in settings before Django's apps are ready) and the setting holding its interval. On worker boot a
daemon thread calls the task every interval until the worker shuts down. Tasks must be safe to run in
several processes at once (conditional updates), since every worker process runs one.
"""

import logging
import threading

from dramatiq import Middleware

logger = logging.getLogger(__name__)


class Periodic(Middleware):
    task: str = ""
    interval_setting: str = ""
    default_interval_s: float = 300.0

    def __init__(self, interval_s: float | None = None):
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def after_worker_boot(self, broker, worker):
        from django.conf import settings

        if self._thread is not None and self._thread.is_alive():
            return  # one loop per process, however many workers it runs (the embedded broker runs several)
        interval = self.interval_s or float(getattr(settings, self.interval_setting, self.default_interval_s))
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(interval,), name=self.task, daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker, worker):
        self._stop.set()

    def _loop(self, interval: float) -> None:
        from django.db import close_old_connections
        from django.utils.module_loading import import_string

        while not self._stop.wait(interval):
            try:
                import_string(self.task)()
            except Exception:  # a database or network hiccup must not end the loop; the next round retries
                logger.exception("Periodic task %s failed", self.task)
            finally:
                close_old_connections()


class PeriodicOutboxRelay(Periodic):
    """Send jobs saved while the broker was down, every OUTBOX_RELAY_INTERVAL_S seconds."""

    task = "apps.common.outbox.outbox_relay"
    interval_setting = "OUTBOX_RELAY_INTERVAL_S"
    default_interval_s = 2.0
