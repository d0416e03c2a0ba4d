"""Health check and the JSON error pages for /v1 (never an HTML error page there)."""

import dramatiq
from django.db import connection
from django.http import JsonResponse
from django.views.defaults import page_not_found
from django.views.defaults import server_error as html_server_error

from apps.common.api.errors import PROBLEM_CONTENT_TYPE, problem
from apps.common.middleware import is_api_path
from apps.common.outbox import outbox_pending_count


def _ping_broker(broker) -> None:
    """Talk to the configured broker (raise if it does not answer); in-process brokers need no ping."""
    from dramatiq.brokers.stub import StubBroker

    kind = type(broker).__name__
    if isinstance(broker, StubBroker):  # the embedded (in-process) and unit-test brokers
        return
    if kind == "RedisBroker":
        broker.client.ping()
    elif kind == "RabbitmqBroker":
        broker.connection.process_data_events(time_limit=0)  # opens the connection if needed
    else:
        raise NotImplementedError(f"no health check for {kind}")


def _broker_status() -> dict:
    broker = dramatiq.get_broker()
    kind = type(broker).__name__
    try:
        _ping_broker(broker)
        return {"ok": True, "broker": kind}
    except Exception as exc:  # the health endpoint reports, it must not raise
        return {"ok": False, "broker": kind, "error": type(exc).__name__}


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        database = {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    broker = _broker_status()
    if database["ok"]:  # jobs saved while the broker was down, waiting for the relay
        broker["outboxPending"] = outbox_pending_count()
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


def not_found(request, exception=None):
    if is_api_path(request.path):
        body = problem(404, "not_found", "Not found", f"No resource at {request.path}.")
        return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
    return page_not_found(request, exception)


def api_not_found(request, rest=""):
    """Catch-all for unknown /v1 paths, so DEBUG mode answers JSON too."""
    return not_found(request)


def server_error(request):
    if is_api_path(request.path):
        body = problem(
            500, "server_error", "Server error", "An unexpected error occurred; it has been logged."
        )
        return JsonResponse(body, status=500, content_type=PROBLEM_CONTENT_TYPE)
    return html_server_error(request)
