"""System checks of the devices app (``manage.py check --deploy``): what a production installer must set.

* ``devices.W001`` — no ``DEVICE_TOKEN_KEY``: rotating SECRET_KEY would make every stored vendor token unreadable.
* ``devices.E001`` — ``DEVICES_VENDOR_MODE=fake`` with DEBUG off, unless ``DEVICES_ALLOW_FAKE_VENDORS``.

A live vendor without its settings is no check: a deployment may simply not offer that vendor; its links
answer 503 ``vendor_not_configured`` naming the settings to set (``apps.devices.vendors``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning

from apps.devices.vendors import vendor_mode


def check_token_key(app_configs=None, **kwargs):
    """Production should set its own DEVICE_TOKEN_KEY (rotating SECRET_KEY would otherwise make every stored
    vendor token unreadable)."""
    if settings.DEBUG or settings.DEVICE_TOKEN_KEY:
        return []
    return [
        Warning(
            "DEVICE_TOKEN_KEY is not set; vendor tokens are encrypted with a key derived from SECRET_KEY.",
            hint="Set DEVICE_TOKEN_KEY (a Fernet key or a long passphrase; comma-separated to rotate).",
            id="devices.W001",
        )
    ]


def check_vendor_mode(app_configs=None, **kwargs):
    """DEBUG off never means fake vendors silently (issues 15 and 17)."""
    if settings.DEBUG or vendor_mode() != "fake" or settings.DEVICES_ALLOW_FAKE_VENDORS:
        return []
    return [
        Error(
            "DEVICES_VENDOR_MODE is 'fake' with DEBUG off: device links would talk to in-process fake vendors.",
            hint="Set DEVICES_VENDOR_MODE=live with the vendors' credentials, or DEVICES_ALLOW_FAKE_VENDORS=true "
            "for a demo or staging site.",
            id="devices.E001",
        )
    ]
