"""Configured vendor clients, built from settings / environment variables.

``DEVICES_VENDOR_MODE``: ``fake`` (the default, whatever DEBUG says; ``check --deploy`` refuses it with DEBUG off
unless ``DEVICES_ALLOW_FAKE_VENDORS``) starts the fake vendor servers of
``apps.devices.fakes`` in this process on first use (127.0.0.1, free ports) and uses their credentials;
``live`` reads the real endpoints and credentials:

=====================  ==============================================================================
Enode                  ``ENODE_API_URL``, ``ENODE_TOKEN_URL``, ``ENODE_CLIENT_ID``,
                       ``ENODE_CLIENT_SECRET``, ``ENODE_WEBHOOK_SECRET``, ``ENODE_API_VERSION``
Enphase (v4 OAuth)     ``ENPHASE_API_URL`` (…/api/v4), ``ENPHASE_AUTH_URL``, ``ENPHASE_API_KEY``,
                       ``ENPHASE_CLIENT_ID``, ``ENPHASE_CLIENT_SECRET``
POD                    ``POD_API_URL``, ``POD_TOKEN_URL`` (optional), ``POD_CLIENT_ID``, ``POD_CLIENT_SECRET``
Callbacks              ``DEVICES_PUBLIC_BASE_URL`` (default: the address the request came in on): where
                       vendors send the household back (``/hooks/enode/return``, ``/hooks/enphase/callback``)
=====================  ==============================================================================

Each name is read from Django settings first (tests override them there), then the environment.
Secrets are never logged.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.common.errors import AppError
from apps.devices import crypto
from apps.devices.clients import CallbackTokenStore, RetryPolicy
from apps.devices.clients.enode import EnodeClient
from apps.devices.clients.enphase import EnphaseClient
from apps.devices.clients.pod import PodClient
from apps.devices.models import DeviceLink, Provider, VendorCredential

FAKE_ENODE_WEBHOOK_SECRET = "fake-enode-webhook-secret"  # noqa: S105 - development fake only

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def conf(name: str, default: Any = None) -> Any:
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name)
    return default if value is None or value == "" else value


def conf_int(name: str, default: int) -> int:
    value = conf(name, default)
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from exc


def conf_float(name: str, default: float) -> float:
    value = conf(name, default)
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from exc


def vendor_mode() -> str:
    """The explicit DEVICES_VENDOR_MODE setting (default "fake"; the deploy check refuses it in production)."""
    mode = str(conf("DEVICES_VENDOR_MODE", "fake")).strip().lower()
    if mode not in ("fake", "live"):
        raise ImproperlyConfigured(f"DEVICES_VENDOR_MODE={mode!r}: use 'fake' or 'live'")
    return mode


def history_days() -> int:
    """How far back the first sync reaches [days]."""
    return conf_int("DEVICES_HISTORY_DAYS", 365)


def public_base_url() -> str:
    configured = conf("DEVICES_PUBLIC_BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    from apps.common.middleware import request_base_url

    return request_base_url() or "http://127.0.0.1:8000"  # outside a request (a job): the embedded address


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        max_retries=conf_int("DEVICES_MAX_RETRIES", 3), backoff_base=conf_float("DEVICES_BACKOFF_S", 0.5)
    )


# ----------------------------------------------------------------------------------------- fakes

_FAKES: dict[str, Any] = {}
_FAKES_LOCK = threading.Lock()


def fake_server(provider: str):
    """The in-process fake for ``provider`` (started on first use, kept for the process)."""
    with _FAKES_LOCK:
        handle = _FAKES.get(provider)
        if handle is None:
            from apps.devices.fakes.server import start_fake_server

            handle = _FAKES[provider] = start_fake_server(provider)
        return handle


@dataclass(frozen=True)
class VendorConfig:
    api_url: str
    client_id: str = ""
    client_secret: str = ""
    token_url: str = ""
    auth_url: str = ""
    api_key: str = ""
    webhook_secret: str = ""
    api_version: str = ""


class VendorNotConfigured(AppError):
    """Live mode without the vendor's endpoints/credentials: the API answers 503, naming the settings."""

    status = 503
    code = "vendor_not_configured"
    title = "Device vendor not configured"


def _require(provider: str, **values: str) -> None:
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise VendorNotConfigured(f"{provider} is not configured on this server: set {', '.join(missing)}.")


def vendor_config(provider: str) -> VendorConfig:
    if vendor_mode() == "fake":
        base = fake_server(provider).base_url
        if provider == Provider.ENODE:
            from apps.devices.fakes import enode as f

            return VendorConfig(
                api_url=base,
                token_url=f"{base}/oauth2/token",
                client_id=f.CLIENT_ID,
                client_secret=f.CLIENT_SECRET,
                webhook_secret=str(conf("ENODE_WEBHOOK_SECRET", FAKE_ENODE_WEBHOOK_SECRET)),
            )
        if provider == Provider.ENPHASE:
            from apps.devices.fakes import enphase as f

            return VendorConfig(
                api_url=f"{base}/api/v4",
                auth_url=base,
                api_key=f.API_KEY,
                client_id=f.CLIENT_ID,
                client_secret=f.CLIENT_SECRET,
            )
        from apps.devices.fakes import pod as f

        return VendorConfig(api_url=base, client_id=f.CLIENT_ID, client_secret=f.CLIENT_SECRET)
    if provider == Provider.ENODE:
        cfg = VendorConfig(
            api_url=conf("ENODE_API_URL", ""),
            token_url=conf("ENODE_TOKEN_URL", ""),
            client_id=conf("ENODE_CLIENT_ID", ""),
            client_secret=conf("ENODE_CLIENT_SECRET", ""),
            webhook_secret=conf("ENODE_WEBHOOK_SECRET", ""),
            api_version=conf("ENODE_API_VERSION", ""),
        )
        _require(
            "Enode",
            ENODE_API_URL=cfg.api_url,
            ENODE_TOKEN_URL=cfg.token_url,
            ENODE_CLIENT_ID=cfg.client_id,
            ENODE_CLIENT_SECRET=cfg.client_secret,
        )
        return cfg
    if provider == Provider.ENPHASE:
        cfg = VendorConfig(
            api_url=conf("ENPHASE_API_URL", ""),
            auth_url=conf("ENPHASE_AUTH_URL", ""),
            api_key=conf("ENPHASE_API_KEY", ""),
            client_id=conf("ENPHASE_CLIENT_ID", ""),
            client_secret=conf("ENPHASE_CLIENT_SECRET", ""),
        )
        _require(
            "Enphase",
            ENPHASE_API_URL=cfg.api_url,
            ENPHASE_AUTH_URL=cfg.auth_url,
            ENPHASE_API_KEY=cfg.api_key,
            ENPHASE_CLIENT_ID=cfg.client_id,
            ENPHASE_CLIENT_SECRET=cfg.client_secret,
        )
        return cfg
    cfg = VendorConfig(
        api_url=conf("POD_API_URL", ""),
        token_url=conf("POD_TOKEN_URL", ""),
        client_id=conf("POD_CLIENT_ID", ""),
        client_secret=conf("POD_CLIENT_SECRET", ""),
    )
    _require("POD", POD_API_URL=cfg.api_url, POD_CLIENT_ID=cfg.client_id, POD_CLIENT_SECRET=cfg.client_secret)
    return cfg


def enode_webhook_secret() -> str:
    return vendor_config(Provider.ENODE).webhook_secret


# ------------------------------------------------------------------------------------ token stores


def _app_token_store(provider: str) -> CallbackTokenStore:
    """Client-credentials token shared by every link of ``provider`` (encrypted in VendorCredential)."""

    def load():
        row = VendorCredential.objects.filter(provider=provider).first()
        return crypto.decrypt_json(row.token_encrypted) if row else None

    def save(data):
        VendorCredential.objects.update_or_create(
            provider=provider, defaults={"token_encrypted": crypto.encrypt_json(data)}
        )

    return CallbackTokenStore(load=load, save=save)


def link_token_store(link: DeviceLink) -> CallbackTokenStore:
    """The household's own grant (Enphase OAuth), encrypted on the link row; saved at once (rotation)."""

    def load():
        current = DeviceLink.objects.filter(pk=link.pk).values_list("token_encrypted", flat=True).first()
        return crypto.decrypt_json(current or "")

    def save(data):
        encrypted = crypto.encrypt_json(data)
        DeviceLink.objects.filter(pk=link.pk).update(token_encrypted=encrypted)
        link.token_encrypted = encrypted

    return CallbackTokenStore(load=load, save=save)


# ----------------------------------------------------------------------------------------- clients

_HTTP: list[httpx.Client] = []
_HTTP_LOCK = threading.Lock()


def shared_http() -> httpx.Client:
    """One pooled httpx client per process (creating one costs ~70 ms of TLS setup); thread-safe.
    Vendor clients built here do not close it."""
    with _HTTP_LOCK:
        if not _HTTP:
            _HTTP.append(httpx.Client(timeout=httpx.Timeout(15.0, connect=5.0)))
        return _HTTP[0]


def enode_client() -> EnodeClient:
    cfg = vendor_config(Provider.ENODE)
    return EnodeClient(
        api_url=cfg.api_url,
        token_url=cfg.token_url,
        client_id=cfg.client_id,
        client_secret=cfg.client_secret,
        token_store=_app_token_store(Provider.ENODE),
        http_client=shared_http(),
        retry=retry_policy(),
        api_version=cfg.api_version or None,
    )


def enphase_redirect_uri() -> str:
    return f"{public_base_url()}/hooks/enphase/callback"


def enode_redirect_uri(link: DeviceLink) -> str:
    return f"{public_base_url()}/hooks/enode/return?link={link.pk}"


def enphase_client(link: DeviceLink) -> EnphaseClient:
    cfg = vendor_config(Provider.ENPHASE)
    return EnphaseClient(
        api_url=cfg.api_url,
        api_key=cfg.api_key,
        auth_url=cfg.auth_url,
        client_id=cfg.client_id,
        client_secret=cfg.client_secret,
        redirect_uri=enphase_redirect_uri(),
        token_store=link_token_store(link),
        http_client=shared_http(),
        retry=retry_policy(),
        requests_per_minute=enphase_requests_per_minute(),
    )


def enphase_requests_per_minute() -> int | None:
    """Pace Enlighten calls to the plan's limit (the document's example plan: 10 a minute) instead of
    running into its 409s; the local fake has no limit unless asked."""
    return conf_int("ENPHASE_REQUESTS_PER_MINUTE", 10 if vendor_mode() == "live" else 0) or None


def pod_client() -> PodClient:
    cfg = vendor_config(Provider.POD)
    return PodClient(
        api_url=cfg.api_url,
        client_id=cfg.client_id,
        client_secret=cfg.client_secret,
        token_url=cfg.token_url or None,
        token_store=_app_token_store(Provider.POD),
        http_client=shared_http(),
        retry=retry_policy(),
    )
