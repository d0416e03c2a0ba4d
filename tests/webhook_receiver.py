"""A local webhook receiver for the tests that deliver webhooks (scans, proposals, organizations): a helper
module of its own, so no test module imports another."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


class Receiver:
    """A tiny HTTP server on 127.0.0.1 answering the queued status codes (then 200), recording requests."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/solarscan"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def local_receivers_allowed(settings):
    """The receivers listen on http://127.0.0.1: allowed only in local-development mode (issue 15)."""
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()
