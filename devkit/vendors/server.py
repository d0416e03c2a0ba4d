"""Run a fake vendor on 127.0.0.1 in a background thread.

    handle = start_fake_server("enode")          # or "enphase", "pod"; options go to the app
    base_url, stop = handle                       # unpacks as (base_url, stop)
    handle.app.fail_next(429, 2, retry_after=1)   # or POST {base_url}/_fake/fail
    ...
    stop()

Also runnable by hand: ``python -m devkit.vendors.server enode --port 8101``.
"""

from __future__ import annotations

import argparse
import socketserver
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .base import FakeVendorApp


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients that give up (timeouts) disconnect; that is expected here


def make_app(vendor: str, **options) -> FakeVendorApp:
    if vendor == "enode":
        from .enode import FakeEnode

        return FakeEnode(**options)
    if vendor == "enphase":
        from .enphase import FakeEnphase

        return FakeEnphase(**options)
    if vendor == "pod":
        from .pod import FakePod

        return FakePod(**options)
    raise ValueError(f"unknown fake vendor {vendor!r}; expected 'enode', 'enphase' or 'pod'")


class FakeServerHandle:
    def __init__(self, base_url: str, stop, app: FakeVendorApp, port: int):
        self.base_url, self.stop, self.app, self.port = base_url, stop, app, port

    def __iter__(self):
        return iter((self.base_url, self.stop))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_fake_server(vendor: str, *, host: str = "127.0.0.1", port: int = 0, **options) -> FakeServerHandle:
    """Serve ``vendor``'s fake on ``host:port`` (0 = a free port); returns ``(base_url, stop)`` + ``.app``."""
    app = make_app(vendor, **options)
    server = make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    actual_port = server.server_address[1]
    base_url = f"http://{host}:{actual_port}"
    app.public_base_url = base_url
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-{vendor}", daemon=True
    )
    thread.start()
    stopped = threading.Event()

    def stop() -> None:
        if stopped.is_set():
            return
        stopped.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return FakeServerHandle(base_url, stop, app, actual_port)


def main() -> None:  # pragma: no cover - manual use
    parser = argparse.ArgumentParser(description="Run a fake vendor API on 127.0.0.1")
    parser.add_argument("vendor", choices=["enode", "enphase", "pod"])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    handle = start_fake_server(args.vendor, port=args.port)
    print(f"fake {args.vendor} at {handle.base_url} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        handle.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
