"""The devices services' errors: the API's one error type, with the codes a caller can act on."""

from __future__ import annotations

from apps.common.errors import AppError
from apps.devices.clients import (
    OAuthStateError,
    VendorAuthError,
    VendorError,
    VendorInputError,
    VendorRateLimited,
    VendorUnavailable,
)


class DeviceLinkError(AppError):
    status = 400
    code = "device_link_error"
    title = "Device link request failed"


class VendorFailure(AppError):
    status = 502
    code = "vendor_error"
    title = "The device vendor did not cooperate"


def vendor_app_error(exc: VendorError) -> AppError:
    """Map a vendor failure onto the API's one error type (messages are already free of secrets)."""
    if isinstance(exc, OAuthStateError):
        return DeviceLinkError(str(exc), code="invalid_oauth_state")
    if isinstance(exc, VendorInputError):
        return DeviceLinkError(str(exc), code="invalid_vendor_input")
    if isinstance(exc, VendorRateLimited):
        return VendorFailure(str(exc), status=503, code="vendor_rate_limited")
    if isinstance(exc, VendorUnavailable):
        return VendorFailure(str(exc), status=503, code="vendor_unavailable")
    if isinstance(exc, VendorAuthError):
        return VendorFailure(str(exc), code="vendor_auth_failed")
    return VendorFailure(str(exc))
