"""A tiny WSGI toolkit for the fake vendor servers (stdlib only) and the failure injector.

Control endpoints (every fake), JSON in/out:

- ``POST /_fake/fail``   ``{"status": 429, "count": 2, "retryAfter": 1, "path": "/inverters"}``: the next
  ``count`` API requests (whose path starts with ``path``, default any non-token path) get ``status``.
  ``{"status": 409, ...}`` on the Enphase fake answers with its documented usage-limit body.
  ``{"status": "slow", "delay": 0.5}`` answers normally but only after ``delay`` seconds (timeouts).
- ``POST /_fake/expire-tokens``: every access token issued so far is expired now.
- ``GET  /_fake/requests``: the request log (method, path, status), newest last.
- ``POST /_fake/reset``: clear injected failures and the log.

The same operations are methods on ``FakeVendorApp`` (``fail_next``, ``expire_tokens``, ...).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

_REASONS = {
    200: "OK", 201: "Created", 204: "No Content", 302: "Found", 400: "Bad Request", 401: "Unauthorized",
    403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
    422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}  # fmt: skip


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    base_url: str
    params: dict[str, str] = field(default_factory=dict)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}

    def bearer(self) -> str | None:
        auth = self.headers.get("authorization", "")
        kind, _, token = auth.partition(" ")
        return token.strip() if kind.lower() == "bearer" and token else None

    def basic(self) -> tuple[str, str] | None:
        auth = self.headers.get("authorization", "")
        kind, _, value = auth.partition(" ")
        if kind.lower() != "basic":
            return None
        try:
            user, _, pwd = base64.b64decode(value).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return unquote(user), unquote(pwd)


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encode(self) -> bytes:
        if self.body is None or self.status == 204:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body, separators=(",", ":")).encode()


def redirect(location: str) -> Response:
    return Response(302, None, {"Location": location})


@dataclass
class _Failure:
    status: int | str
    remaining: int
    retry_after: float | None
    path: str | None
    delay: float = 0.0


class TokenBook:
    """Access tokens issued by a fake, with expiry (seconds) and forced expiry."""

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.tokens: dict[str, float] = {}
        self.lock = threading.Lock()

    def issue(self, ttl: float, prefix: str = "tok") -> str:
        token = f"{prefix}_{secrets.token_urlsafe(24)}"
        with self.lock:
            self.tokens[token] = self.clock() + ttl
        return token

    def valid(self, token: str | None) -> bool:
        with self.lock:
            return bool(token) and self.tokens.get(token, 0) > self.clock()

    def expire_all(self) -> None:
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = 0

    def revoke(self, token: str) -> None:
        with self.lock:
            self.tokens.pop(token, None)


class FakeVendorApp:
    """Base WSGI app: routing, JSON, request log, failure injection. Subclasses add ``route``s."""

    vendor = "fake"
    token_paths: tuple[str, ...] = ()

    def __init__(self, *, clock: Callable[[], float] = time.time):
        self.clock = clock
        self.tokens = TokenBook(clock)
        self._routes: list[tuple[str, re.Pattern[str], Callable[[Request], Response]]] = []
        self._failures: list[_Failure] = []
        self.log: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    # ------------------------------------------------------------------------------- control API

    def fail_next(
        self,
        status: int | str,
        count: int = 1,
        *,
        retry_after: float | None = None,
        path: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``count`` matching requests answer ``status`` (or ``"slow"``: late by ``delay`` s)."""
        with self.lock:
            self._failures.append(_Failure(status, count, retry_after, path, delay))

    def expire_tokens(self) -> None:
        self.tokens.expire_all()

    def reset(self) -> None:
        with self.lock:
            self._failures.clear()
            self.log.clear()

    def requests_to(self, prefix: str) -> list[dict[str, Any]]:
        return [r for r in self.log if r["path"].startswith(prefix)]

    # ------------------------------------------------------------------------------------ routing

    def route(self, method: str, pattern: str, handler: Callable[[Request], Response]) -> None:
        regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
        self._routes.append((method, regex, handler))

    def failure_response(self, status: int, retry_after: float | None) -> Response:
        """The body a vendor sends with an injected status (subclasses follow their documents)."""
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        return Response(status, {"error": _REASONS.get(status, "Error"), "status": status}, headers)

    def _injected(self, req: Request) -> Response | None:
        token_request = req.path in self.token_paths
        delay = 0.0
        with self.lock:
            for failure in self._failures:
                if failure.remaining <= 0:
                    continue
                if failure.path is None and token_request:
                    continue
                if failure.path is not None and not req.path.startswith(failure.path):
                    continue
                failure.remaining -= 1
                if failure.status == "slow":
                    delay = failure.delay
                    break
                return self.failure_response(int(failure.status), failure.retry_after)
        if delay:
            time.sleep(delay)
        return None

    def _control(self, req: Request) -> Response:
        action = req.path.removeprefix("/_fake/")
        if action == "fail" and req.method == "POST":
            body = req.json() or {}
            self.fail_next(
                body.get("status", 500),
                int(body.get("count", 1)),
                retry_after=body.get("retryAfter"),
                path=body.get("path"),
                delay=float(body.get("delay", 0)),
            )
            return Response(204)
        if action == "expire-tokens" and req.method == "POST":
            self.expire_tokens()
            return Response(204)
        if action == "reset" and req.method == "POST":
            self.reset()
            return Response(204)
        if action == "requests" and req.method == "GET":
            return Response(200, self.log)
        return Response(404, {"error": "unknown control action"})

    def dispatch(self, req: Request) -> Response:
        if req.path.startswith("/_fake/"):
            return self._control(req)
        injected = self._injected(req)
        if injected is not None:
            return injected
        allowed = False
        for method, regex, handler in self._routes:
            match = regex.match(req.path)
            if match:
                allowed = True
                if method == req.method:
                    req.params = {k: unquote(v) for k, v in match.groupdict().items()}
                    return handler(req)
        if allowed:
            return self.error(405, "Method not allowed")
        return self.error(404, f"No route for {req.method} {req.path}")

    def error(self, status: int, message: str) -> Response:
        return Response(status, {"error": message, "status": status})

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        req = Request(
            method=environ["REQUEST_METHOD"].upper(),
            path=environ.get("PATH_INFO") or "/",
            query=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            headers=headers,
            body=body,
            base_url=f"{environ.get('wsgi.url_scheme', 'http')}://{host}",
        )
        try:
            resp = self.dispatch(req)
        except Exception as exc:  # a fake must not hide its own bugs, but must answer
            resp = Response(500, {"error": f"fake server error: {type(exc).__name__}: {exc}"})
        if not req.path.startswith("/_fake/"):
            with self.lock:
                self.log.append({"method": req.method, "path": req.path, "status": resp.status})
        payload = resp.encode()
        out_headers = [("Content-Length", str(len(payload)))]
        if payload:
            out_headers.append(("Content-Type", resp.content_type))
        out_headers.extend(resp.headers.items())
        start_response(f"{resp.status} {_REASONS.get(resp.status, 'Status')}", out_headers)
        return [payload]
