"""Configured vendor clients, built from Django settings (``config/settings.py`` reads the environment).

``DEVICES_VENDOR_MODE``: ``fake`` (the default with DEBUG on) asks ``DEVICES_FAKE_VENDORS`` (a dotted path to
the stand-ins of ``devkit.vendors``, loaded only then, never imported) for the endpoints and credentials of
fake servers started in this process; ``live`` (the default with DEBUG off) reads the real ones, and a vendor
whose settings are missing answers 503 ``vendor_not_configured`` naming them, never fake data.
``check --deploy`` refuses an explicit ``fake`` with DEBUG off unless ``DEVICES_ALLOW_FAKE_VENDORS``.

=====================  ==============================================================================
Enode                  ``ENODE_API_URL``, ``ENODE_TOKEN_URL``, ``ENODE_CLIENT_ID``,
                       ``ENODE_CLIENT_SECRET``, ``ENODE_WEBHOOK_SECRET``, ``ENODE_API_VERSION``
Enphase (v4 OAuth)     ``ENPHASE_API_URL`` (…/api/v4), ``ENPHASE_AUTH_URL``, ``ENPHASE_API_KEY``,
                       ``ENPHASE_CLIENT_ID``, ``ENPHASE_CLIENT_SECRET``
POD                    ``POD_API_URL``, ``POD_TOKEN_URL`` (optional), ``POD_CLIENT_ID``, ``POD_CLIENT_SECRET``
Callbacks              ``DEVICES_PUBLIC_BASE_URL`` (default: the address the request came in on): where
                       vendors send the household back (``/hooks/enode/return``, ``/hooks/enphase/callback``)
=====================  ==============================================================================

Secrets are never logged.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from apps.common.errors import AppError
from apps.devices import crypto
from apps.devices.clients import CallbackTokenStore, RetryPolicy
from apps.devices.clients.enode import EnodeClient
from apps.devices.clients.enphase import EnphaseClient
from apps.devices.clients.pod import PodClient
from apps.devices.models import DeviceLink, Provider, VendorCredential


def vendor_mode() -> str:
    """DEVICES_VENDOR_MODE: "fake" or "live" (settings default it from DEBUG; the deploy check refuses an
    explicit "fake" in production)."""
    mode = str(settings.DEVICES_VENDOR_MODE or "").strip().lower()
    if mode not in ("fake", "live"):
        raise ImproperlyConfigured(f"DEVICES_VENDOR_MODE={mode!r}: use 'fake' or 'live'")
    return mode


def history_days() -> int:
    """How far back the first sync reaches [days]."""
    return int(settings.DEVICES_HISTORY_DAYS)


def public_base_url() -> str:
    configured = settings.DEVICES_PUBLIC_BASE_URL
    if configured:
        return str(configured).rstrip("/")
    from apps.common.middleware import request_base_url

    return request_base_url() or "http://127.0.0.1:8000"  # outside a request (a job): the embedded address


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        max_retries=int(settings.DEVICES_MAX_RETRIES), backoff_base=float(settings.DEVICES_BACKOFF_S)
    )


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


@dataclass(frozen=True)
class VendorSettings:
    """Which Django setting holds each ``VendorConfig`` field of one vendor, and which must be set."""

    label: str
    names: dict[str, str]  # VendorConfig field -> setting name
    required: tuple[str, ...]  # VendorConfig fields a live vendor cannot work without


VENDOR_SETTINGS = {
    Provider.ENODE: VendorSettings(
        "Enode",
        {
            "api_url": "ENODE_API_URL",
            "token_url": "ENODE_TOKEN_URL",
            "client_id": "ENODE_CLIENT_ID",
            "client_secret": "ENODE_CLIENT_SECRET",
            "webhook_secret": "ENODE_WEBHOOK_SECRET",
            "api_version": "ENODE_API_VERSION",
        },
        ("api_url", "token_url", "client_id", "client_secret"),
    ),
    Provider.ENPHASE: VendorSettings(
        "Enphase",
        {
            "api_url": "ENPHASE_API_URL",
            "auth_url": "ENPHASE_AUTH_URL",
            "api_key": "ENPHASE_API_KEY",
            "client_id": "ENPHASE_CLIENT_ID",
            "client_secret": "ENPHASE_CLIENT_SECRET",
        },
        ("api_url", "auth_url", "api_key", "client_id", "client_secret"),
    ),
    Provider.POD: VendorSettings(
        "POD",
        {
            "api_url": "POD_API_URL",
            "token_url": "POD_TOKEN_URL",
            "client_id": "POD_CLIENT_ID",
            "client_secret": "POD_CLIENT_SECRET",
        },
        ("api_url", "client_id", "client_secret"),
    ),
}


def vendor_config(provider: str) -> VendorConfig:
    if vendor_mode() == "fake":
        return VendorConfig(**import_string(settings.DEVICES_FAKE_VENDORS)(provider))
    wanted = VENDOR_SETTINGS[provider]
    values = {field: str(getattr(settings, name, "") or "") for field, name in wanted.names.items()}
    missing = [wanted.names[field] for field in wanted.required if not values[field]]
    if missing:
        raise VendorNotConfigured(
            gettext("%(vendor)s is not configured on this server: set %(settings)s.")
            % {"vendor": wanted.label, "settings": ", ".join(missing)}
        )
    return VendorConfig(**values)


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
    configured = settings.ENPHASE_REQUESTS_PER_MINUTE
    if configured is None:
        configured = 10 if vendor_mode() == "live" else 0
    return int(configured) or None


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
