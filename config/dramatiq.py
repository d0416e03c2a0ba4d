"""The embedded broker: an in-memory queue with worker threads in this very process.

It lets `manage.py runserver` (and the embedded run) compute scans without Redis or a separate worker.
The workers start lazily on the first enqueue, so management commands that never send a job start none.
Each queue group of settings.DRAMATIQ_QUEUE_THREADS gets its own worker and threads, as production runs one
`rundramatiq --queues …` process per group: slow webhooks or vendors never hold a thread a scan needs.
"""

import threading

from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import TimeLimit


def start_time_limits(broker) -> None:
    """Start the TimeLimit middleware's watchdog thread. The `dramatiq` CLI does it on process boot; an
    in-process worker must, or no actor's time limit is ever enforced."""
    for middleware in broker.middleware:
        if isinstance(middleware, TimeLimit) and not middleware.manager.is_alive():
            middleware.manager.start()


def start_queue_workers(broker, queue_threads: dict[str, int], *, worker_timeout: int = 200) -> list[Worker]:
    """One started Worker per queue group ("scans", "devices,default" …) with its own thread count."""
    start_time_limits(broker)
    workers = []
    for group, threads in queue_threads.items():
        queues = {name.strip() for name in group.split(",") if name.strip()}
        worker = Worker(broker, queues=queues, worker_threads=threads, worker_timeout=worker_timeout)
        worker.start()
        workers.append(worker)
    return workers


class EmbeddedBroker(StubBroker):
    _workers: list[Worker] | None = None
    _worker_lock = threading.Lock()

    def enqueue(self, message, *, delay=None):
        self._ensure_workers()
        return super().enqueue(message, delay=delay)

    def _ensure_workers(self) -> None:
        from django.conf import settings

        with self._worker_lock:
            if self._workers is None:
                self._workers = start_queue_workers(self, settings.DRAMATIQ_QUEUE_THREADS)
