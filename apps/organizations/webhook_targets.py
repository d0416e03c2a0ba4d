"""Where a webhook may be sent: the public internet only. Why: a tenant admin chooses the URL, so without this
check the server would post to its own loopback, the private network or the cloud metadata service, and the
delivery log would map internal ports (issue 15).

A URL must be `https` (`http` only with WEBHOOK_ALLOW_HTTP, for local development) and its host must resolve
to public addresses only (WEBHOOK_ALLOW_PRIVATE_TARGETS lifts that, for local development). The check runs
when an endpoint is saved and again at each delivery, and the delivery then connects to the very address
that was checked (the Host header and TLS server name stay the endpoint's), so a DNS answer that changes in
between cannot redirect it. Redirects are never followed."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What the delivery log says for a refused target: no address, port or reason that would map the inside.
REFUSED_LOG_MESSAGE = "Refused: the endpoint is not a public internet address."

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedTarget(ValueError):
    """The URL may not receive webhooks; the message is for the admin who typed it."""


@dataclass(frozen=True)
class Target:
    """A checked endpoint: the URL to connect to (host replaced by the checked address) and the original
    host for the Host header and TLS server name."""

    url: httpx.URL
    host: str


def _resolve(host: str, port: int) -> list[str]:
    """All addresses `host` resolves to (module-level so tests can stand in for DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public(address: IpAddress) -> bool:
    """Routable on the public internet: not loopback, private, link-local, multicast, reserved, shared
    (100.64/10), unspecified or documentation space (ipaddress' `is_global` covers the IANA special-purpose
    registries); IPv4-mapped and 6to4-style embeddings are judged by the IPv4 address inside."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast and not address.is_reserved


def checked_target(url: str) -> Target:
    """Validate `url` and resolve its host; raise RefusedTarget if it may not receive webhooks."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise RefusedTarget(_("Enter a valid URL.")) from exc
    allowed = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parsed.scheme not in allowed:
        raise RefusedTarget(_("Use an https address."))
    if not parsed.host:
        raise RefusedTarget(_("Enter a valid URL."))
    if parsed.userinfo:
        raise RefusedTarget(_("Leave user names and passwords out of the address."))
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in _resolve(parsed.host, port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise RefusedTarget(_("The host name could not be resolved.")) from exc
    if not addresses:
        raise RefusedTarget(_("The host name could not be resolved."))
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS and not all(is_public(a) for a in addresses):
        raise RefusedTarget(
            _("This address is not on the public internet (loopback, private, link-local or reserved).")
        )
    return Target(url=parsed.copy_with(host=str(addresses[0])), host=parsed.host)


def validate_webhook_url(url: str) -> None:
    """A form-field validator: the refusal as a field error."""
    try:
        checked_target(url)
    except RefusedTarget as exc:
        raise ValidationError(str(exc), code="webhook_target") from exc


def post_to_target(
    target: Target, *, content: bytes, headers: dict[str, str], timeout: float
) -> httpx.Response:
    """POST to the checked address, never following redirects and ignoring proxy environment variables."""
    host = f"[{target.host}]" if ":" in target.host else target.host
    host_header = host if target.url.port is None else f"{host}:{target.url.port}"
    with httpx.Client(follow_redirects=False, trust_env=False, timeout=timeout) as client:
        return client.post(
            target.url,
            content=content,
            headers={**headers, "host": host_header},
            extensions={"sni_hostname": target.host},
        )
