"""Periodic stuck-scan sweep inside every worker process (no separate scheduler to deploy or forget).

A dramatiq middleware starts one daemon thread per worker process that runs `scans_sweep_stuck` every
`SCAN_SWEEP_INTERVAL_S` seconds. Several processes sweeping at once is harmless: the sweep marks a scan
failed with a conditional UPDATE, so each stuck scan is failed (and announced) exactly once.
"""

import logging
import threading

from dramatiq import Middleware

logger = logging.getLogger(__name__)
DEFAULT_SWEEP_INTERVAL_S = 300.0


class PeriodicSweep(Middleware):
    def __init__(self, interval_s: float | None = None):
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def after_worker_boot(self, broker, worker):
        from django.conf import settings

        interval = self.interval_s or getattr(settings, "SCAN_SWEEP_INTERVAL_S", DEFAULT_SWEEP_INTERVAL_S)
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(interval,), name="scan-sweep", daemon=True)
        self._thread.start()

    def before_worker_shutdown(self, broker, worker):
        self._stop.set()

    def _loop(self, interval: float) -> None:
        from django.db import close_old_connections

        from apps.scans.services import scans_sweep_stuck

        while not self._stop.wait(interval):
            try:
                swept = scans_sweep_stuck()
                if swept:
                    logger.warning("Marked %d stuck scan(s) as error: %s", len(swept), ", ".join(swept))
            except Exception:  # the sweep must outlive a database hiccup; the next round retries
                logger.exception("Stuck-scan sweep failed")
            finally:
                close_old_connections()
