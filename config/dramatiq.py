"""The embedded broker: an in-memory queue with a worker thread in this very process.

It lets `manage.py runserver` (and the embedded run) compute scans without Redis or a separate worker.
The worker starts lazily on the first enqueue, so management commands that never send a job start none.
"""

import threading

from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker


class EmbeddedBroker(StubBroker):
    _worker: Worker | None = None
    _worker_lock = threading.Lock()

    def enqueue(self, message, *, delay=None):
        self._ensure_worker()
        return super().enqueue(message, delay=delay)

    def _ensure_worker(self) -> None:
        with self._worker_lock:
            if self._worker is None:
                self._worker = Worker(self, worker_threads=2, worker_timeout=200)
                self._worker.start()
