"""A link's local record of what the vendor reported: its assets, its linked state, its last error."""

from __future__ import annotations

from django.utils import timezone

from apps.devices.clients import AssetFact
from apps.devices.models import Asset, DeviceLink


def _asset_defaults(fact: AssetFact) -> dict:
    extra = {
        k: v for k, v in (fact.extra or {}).items() if isinstance(v, str | int | float | bool) or v is None
    }
    return {
        "organization_id": None,  # filled by caller
        "name": (fact.name or "")[:200],
        "brand": (fact.brand or "")[:100],
        "model": (fact.model or "")[:100],
        "capacity_kw": fact.capacity_kw,
        "capacity_kwh": fact.capacity_kwh,
        "hem_system_id": (fact.hem_system_id or "")[:120],
        "facts": extra,
    }


def upsert_assets(link: DeviceLink, facts: list[AssetFact]) -> list[Asset]:
    assets = []
    for fact in facts:
        defaults = _asset_defaults(fact)
        defaults["organization_id"] = link.organization_id
        asset, _ = Asset.objects.update_or_create(
            link=link, kind=fact.kind, vendor_id=fact.vendor_id[:120], defaults=defaults
        )
        assets.append(asset)
    return assets


def mark_linked(link: DeviceLink) -> None:
    if link.status != DeviceLink.Status.LINKED:
        link.status = DeviceLink.Status.LINKED
        link.linked_at = timezone.now()
        link.error_code = link.error_message = ""
        link.error_at = None
        link.save(
            update_fields=["status", "linked_at", "error_code", "error_message", "error_at", "updated_at"]
        )


def record_error(link: DeviceLink, code: str, message: str, *, status: str | None = None) -> None:
    link.error_code, link.error_message, link.error_at = code[:60], message, timezone.now()
    fields = ["error_code", "error_message", "error_at", "updated_at"]
    if status:
        link.status = status
        fields.append("status")
    link.save(update_fields=fields)
