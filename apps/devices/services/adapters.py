"""One adapter per vendor: what differs between Enode, Enphase and POD when a link is started, synced or
unlinked. The linking and sync services look the adapter up by the link's provider and stay vendor-blind.

* Enode: a Link UI session for a user id we choose (the link's id); assets are inverters (production) and
  HEM systems (every HEM statistics series); unlinking deletes the Enode user.
* Enphase: an OAuth authorization URL carrying a single-use state; systems are inverters (production, and
  consumption where the grant allows it); Enlighten has no revoke endpoint (the token is simply dropped).
* POD: the supply point is registered at once (no household grant); the meter's hourly consumption covers
  last month and this month only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext

from apps.devices import crypto, vendors
from apps.devices.clients import AssetFact, VendorAuthError, VendorError, VendorInputError, VendorRequestError
from apps.devices.clients.enphase import new_oauth_state
from apps.devices.clients.pod import validate_pod
from apps.devices.models import Asset, DeviceLink, Provider, Reading
from apps.devices.services.assets import mark_linked, upsert_assets
from apps.devices.services.errors import DeviceLinkError, vendor_app_error

if TYPE_CHECKING:
    from collections.abc import Callable

OAUTH_STATE_TTL = dt.timedelta(minutes=30)
CONSUMPTION_UNAVAILABLE = "consumptionUnavailable"  # Asset.facts key: why no consumption is synced

ENODE_DEFAULT_SCOPES = (
    "inverter:read:data",
    "inverter:read:location",
    "meter:read:data",
    "battery:read:data",
    "vehicle:read:data",
    "charger:read:data",
    "hvac:read:data",
)

# Enode HEM statistics series -> our reading kinds (batteryLevel is a percentage: not stored)
HEM_KINDS = {
    "generation": Reading.Kind.PRODUCTION,
    "consumption": Reading.Kind.CONSUMPTION,
    "gridImport": Reading.Kind.GRID_IMPORT,
    "gridExport": Reading.Kind.GRID_EXPORT,
    "batteryCharge": Reading.Kind.BATTERY_CHARGE,
    "batteryDischarge": Reading.Kind.BATTERY_DISCHARGE,
}


class SyncRun(Protocol):
    """What a running sync offers an adapter (``apps.devices.services.sync``)."""

    now: dt.datetime

    def days(self, asset: Asset, fetch: Callable[[dt.date, dt.date], dict[str, pd.Series]]) -> None:
        """Fetch ``fetch(first_day, last_day)`` window by window from the asset's cursor and store each."""

    def bounds(self, first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The UTC instants of local midnight before ``first`` and after ``last`` (at most now)."""

    def store(self, asset: Asset, series: dict[str, pd.Series], through: dt.datetime) -> None:
        """Upsert one chunk of readings and move the asset's cursor to ``through``."""

    def done(self, asset: Asset) -> None:
        """Count ``asset`` as synced (``days`` does this itself)."""


class VendorAdapter:
    """The vendor-specific steps; a subclass per vendor, one instance each in ``ADAPTERS``."""

    provider: str
    default_scopes: tuple[str, ...] = ()
    not_restartable = ""  # why a link of this vendor cannot be restarted, or "" when it can

    def clean_input(self, *, pod: str | None, account_number: str | None, company_code: str | None) -> dict:
        """The vendor's own link fields, checked (``DeviceLinkError`` naming the field), as ``start`` kwargs."""
        return {}

    def start(self, link: DeviceLink, **clean) -> str | None:
        """Start the vendor's linking flow; return where to send the household (None: linked already)."""
        raise NotImplementedError

    def unlink(self, link: DeviceLink) -> None:
        """Withdraw the household's grant at the vendor, when the vendor has such a thing."""

    def sync(self, link: DeviceLink, run: SyncRun) -> None:
        raise NotImplementedError


class EnodeAdapter(VendorAdapter):
    provider = Provider.ENODE
    default_scopes = ENODE_DEFAULT_SCOPES

    def start(self, link: DeviceLink, **clean) -> str | None:
        link.vendor_user_id = link.pk
        link.save(update_fields=["vendor_user_id", "updated_at"])
        with vendors.enode_client() as client:
            session = client.create_link_session(
                link.vendor_user_id, scopes=link.scopes, redirect_uri=vendors.enode_redirect_uri(link)
            )
        return session.link_url

    def unlink(self, link: DeviceLink) -> None:
        if not link.vendor_user_id:
            return
        try:
            with vendors.enode_client() as client:
                client.delete_user(link.vendor_user_id)
        except VendorRequestError as exc:
            if exc.status != 404:  # 404: nothing linked there (any more)
                raise vendor_app_error(exc) from None
        except VendorError as exc:
            raise vendor_app_error(exc) from None

    def sync(self, link: DeviceLink, run: SyncRun) -> None:
        with vendors.enode_client() as client:
            facts = client.list_all_assets(user_id=link.vendor_user_id)
            upsert_assets(link, facts)
            if facts:
                mark_linked(link)
            for asset in link.assets.filter(kind__in=[Asset.Kind.INVERTER, Asset.Kind.HEM_SYSTEM]):
                if asset.kind == Asset.Kind.INVERTER:

                    def fetch(first, last, asset=asset):
                        return {
                            Reading.Kind.PRODUCTION: client.get_inverter_production(
                                asset.vendor_id, first, last
                            )
                        }

                else:

                    def fetch(first, last, asset=asset):
                        energy = client.get_hem_energy(asset.vendor_id, first, last)
                        return {HEM_KINDS[name]: s for name, s in energy.items() if name in HEM_KINDS}

                run.days(asset, fetch)


class EnphaseAdapter(VendorAdapter):
    provider = Provider.ENPHASE

    def start(self, link: DeviceLink, **clean) -> str | None:
        state = f"{link.pk}.{new_oauth_state()}"
        link.oauth_state_encrypted = crypto.encrypt_text(state)
        link.oauth_state_expires_at = timezone.now() + OAUTH_STATE_TTL
        link.save(update_fields=["oauth_state_encrypted", "oauth_state_expires_at", "updated_at"])
        with vendors.enphase_client(link) as client:
            return client.authorization_url(state)

    # unlink: the grant lives only in our token (the service drops it); Enlighten has no revoke endpoint.

    def sync(self, link: DeviceLink, run: SyncRun) -> None:
        if not link.has_token:
            raise VendorAuthError(
                "no Enlighten authorization stored; link the system again", vendor="enphase"
            )
        with vendors.enphase_client(link) as client:
            upsert_assets(link, client.list_systems())
            for asset in link.assets.filter(kind=Asset.Kind.INVERTER):

                def fetch(first, last, asset=asset):
                    start, end = run.bounds(first, last)
                    out = {Reading.Kind.PRODUCTION: client.get_production_hourly(asset.vendor_id, start, end)}
                    if asset.facts.get(CONSUMPTION_UNAVAILABLE):
                        return out
                    try:
                        consumption = client.get_consumption_hourly(asset.vendor_id, start, end)
                    except VendorAuthError as exc:
                        if exc.status != 401:
                            raise
                        # The document: 401 on consumption_stats without the consumption permission. The
                        # production stays; consumption is marked unavailable (a relink cannot grant it).
                        asset.facts = {**asset.facts, CONSUMPTION_UNAVAILABLE: str(exc)[:300]}
                        Asset.objects.filter(pk=asset.pk).update(facts=asset.facts)
                        return out
                    if len(consumption):
                        out[Reading.Kind.CONSUMPTION] = consumption
                    return out

                run.days(asset, fetch)


class PodAdapter(VendorAdapter):
    provider = Provider.POD
    not_restartable = "POD links are registered directly; there is nothing to restart."

    def clean_input(self, *, pod: str | None, account_number: str | None, company_code: str | None) -> dict:
        try:
            pod = validate_pod(pod or "")
        except VendorInputError as exc:
            message = gettext(exc.template) % exc.params if exc.params else gettext(exc.template)
            raise DeviceLinkError(message, code="invalid_pod", errors={"pod": [message]}) from None
        if not (account_number or "").strip() or not (company_code or "").strip():
            raise DeviceLinkError(
                gettext("accountNumber and companyCode are required for a POD link."),
                errors={
                    k: ["Required."]
                    for k, v in (("accountNumber", account_number), ("companyCode", company_code))
                    if not (v or "").strip()
                },
            )
        return {"pod": pod, "account_number": account_number.strip(), "company_code": company_code.strip()}

    def start(self, link: DeviceLink, *, pod: str, account_number: str, company_code: str) -> str | None:
        with vendors.pod_client() as client:
            client.register_pod(pod, account_number=account_number, company_code=company_code)
        link.vendor_user_id = account_number
        link.settings = {"pod": pod, "companyCode": company_code}
        link.save(update_fields=["vendor_user_id", "settings", "updated_at"])
        upsert_assets(
            link,
            [
                AssetFact(
                    kind="meter",
                    vendor=Provider.POD,
                    vendor_id=pod,
                    name=f"POD {pod}",
                    extra={"account": account_number},
                )
            ],
        )
        mark_linked(link)
        return None

    # unlink: the registration carries no household grant.

    def sync(self, link: DeviceLink, run: SyncRun) -> None:
        """POD's API offers hourly consumption for last month and this month only."""
        with vendors.pod_client() as client:
            for asset in link.assets.filter(kind=Asset.Kind.METER):
                for period in ("last-month", "this-month"):
                    frame = client.consumption_hourly(link.vendor_user_id, period)
                    series = frame["total"] if "total" in frame else pd.Series(dtype=float)
                    run.store(
                        asset,
                        {Reading.Kind.CONSUMPTION: series},
                        run.now.replace(minute=0, second=0, microsecond=0),
                    )
                run.done(asset)


ADAPTERS: dict[str, VendorAdapter] = {
    adapter.provider: adapter for adapter in (EnodeAdapter(), EnphaseAdapter(), PodAdapter())
}
