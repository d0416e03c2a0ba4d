"""Linking and unlinking: start a vendor's flow (via its adapter), finish it when the household comes back
(Enode's return page, Enphase's OAuth callback), restart it, revoke or delete a link."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.common.errors import AppError, NotFound
from apps.devices import crypto, vendors
from apps.devices.clients import OAuthStateError, VendorError
from apps.devices.clients.enphase import check_oauth_state
from apps.devices.models import DeviceLink, Provider
from apps.devices.services.adapters import ADAPTERS
from apps.devices.services.assets import mark_linked, record_error, upsert_assets
from apps.devices.services.errors import DeviceLinkError, vendor_app_error
from apps.dossiers.models import Dossier
from apps.organizations.models import Organization


@dataclass
class LinkStart:
    link: DeviceLink
    link_url: str | None  # where to send the household (None when nothing is left to do)


def link_create(
    *,
    organization: Organization,
    dossier: Dossier,
    provider: str,
    scopes: list[str] | None = None,
    pod: str | None = None,
    account_number: str | None = None,
    company_code: str | None = None,
) -> LinkStart:
    """Create a link and start the vendor's flow. Enode: a Link UI session; Enphase: an OAuth
    authorization URL with a single-use state; POD: the supply point is registered at once."""
    if dossier.organization_id != organization.pk:
        raise NotFound("Dossier not found.")
    adapter = ADAPTERS.get(provider)
    if adapter is None:
        raise DeviceLinkError(f"Unknown provider {provider!r}.", errors={"provider": ["Unknown provider."]})
    clean = adapter.clean_input(pod=pod, account_number=account_number, company_code=company_code)
    link = DeviceLink.objects.create(
        organization=organization,
        dossier=dossier,
        provider=provider,
        scopes=list(scopes or adapter.default_scopes),
    )
    try:
        return LinkStart(link, adapter.start(link, **clean))
    except VendorError as exc:
        link.delete()
        raise vendor_app_error(exc) from None
    except AppError:  # e.g. the vendor is not configured on this server
        link.delete()
        raise


def link_restart(*, link: DeviceLink) -> LinkStart:
    """A fresh Link UI session / authorization URL for an existing link (lost URL, expired or refused
    grant, revoked link). POD links have nothing to restart."""
    adapter = ADAPTERS[link.provider]
    if adapter.not_restartable:
        raise DeviceLinkError(adapter.not_restartable, code="not_restartable")
    if link.status in (DeviceLink.Status.REVOKED, DeviceLink.Status.ERROR):
        link.status = DeviceLink.Status.PENDING
        link.save(update_fields=["status", "updated_at"])
    try:
        return LinkStart(link, adapter.start(link))
    except VendorError as exc:
        raise vendor_app_error(exc) from None


def link_enode_returned(*, link_id: str) -> DeviceLink:
    """Enode's Link UI sent the household back: ask Enode which assets they linked; any asset makes the
    link ``linked``. The link id in the return address is all the household has (no login): an unknown
    id is a 404, a revoked link stays as it is."""
    link = DeviceLink.objects.filter(pk=link_id, provider=Provider.ENODE).first()
    if link is None:
        raise NotFound("Unknown device link.")
    if link.status == DeviceLink.Status.REVOKED:
        return link
    try:
        with vendors.enode_client() as client:
            facts = client.list_all_assets(user_id=link.vendor_user_id)
    except VendorError as exc:
        raise vendor_app_error(exc) from None
    with transaction.atomic():
        upsert_assets(link, facts)
        if facts:
            mark_linked(link)
    return link


def link_enphase_callback(*, state: str | None, code: str | None, error: str | None = None) -> DeviceLink:
    """The OAuth redirect: the state must be the one issued for this link (single use, 30 min)."""
    link_id = (state or "").split(".", 1)[0]
    link = DeviceLink.objects.filter(pk=link_id, provider=Provider.ENPHASE).first() if link_id else None
    if link is None or not link.oauth_state_encrypted:
        raise DeviceLinkError(
            "Unknown or already used authorization state; start linking again.", code="invalid_oauth_state"
        )
    expected = crypto.decrypt_text(link.oauth_state_encrypted)
    try:
        check_oauth_state(state, expected)
    except OAuthStateError as exc:
        raise vendor_app_error(exc) from None
    if link.oauth_state_expires_at and link.oauth_state_expires_at < timezone.now():
        raise DeviceLinkError(
            "The authorization request expired; start linking again.", code="oauth_state_expired"
        )
    claimed = DeviceLink.objects.filter(pk=link.pk, oauth_state_encrypted=link.oauth_state_encrypted).update(
        oauth_state_encrypted="", oauth_state_expires_at=None
    )
    if not claimed:
        raise DeviceLinkError(
            "This authorization was already used; start linking again.", code="invalid_oauth_state"
        )
    link.oauth_state_encrypted = ""
    if error or not code:
        record_error(
            link,
            "authorization_denied",
            f"The household did not grant access ({(error or 'no code')[:60]}).",
            status=DeviceLink.Status.ERROR,
        )
        raise DeviceLinkError("Access was not granted; the link was not made.", code="authorization_denied")
    try:
        with vendors.enphase_client(link) as client:
            client.exchange_code(code, state=state, expected_state=expected)
            facts = client.list_systems()
    except VendorError as exc:
        record_error(link, "authorization_failed", str(exc), status=DeviceLink.Status.ERROR)
        raise vendor_app_error(exc) from None
    with transaction.atomic():
        upsert_assets(link, facts)
        mark_linked(link)
    return link


@transaction.atomic
def _drop_secrets(link: DeviceLink, *, status: str | None = None) -> None:
    link.token_encrypted = ""
    link.oauth_state_encrypted = ""
    link.oauth_state_expires_at = None
    fields = ["token_encrypted", "oauth_state_encrypted", "oauth_state_expires_at", "updated_at"]
    if status:
        link.status = status
        fields.append("status")
    link.save(update_fields=fields)


def link_revoke(*, link: DeviceLink) -> DeviceLink:
    """Unlink at the vendor and forget the tokens, keeping the link and its readings (status revoked)."""
    ADAPTERS[link.provider].unlink(link)
    _drop_secrets(link, status=DeviceLink.Status.REVOKED)
    return link


def link_delete(*, link: DeviceLink) -> None:
    """Unlink at the vendor, then delete the link with its tokens, assets and readings."""
    ADAPTERS[link.provider].unlink(link)
    with transaction.atomic():
        _drop_secrets(link)
        link.delete()
