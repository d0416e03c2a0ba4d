"""Enode webhooks: verify the signature, deduplicate events by id, apply each to its link.

Readings a delivery stores are announced like a sync's (``signals.readings_synced``, once per link and
delivery, after every event's transaction), so monitoring refreshes its monthly figures for them too."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from apps.common.errors import AppError
from apps.devices import vendors
from apps.devices.clients import VendorResponseError
from apps.devices.clients.enode import parse_webhook_events, verify_webhook_signature
from apps.devices.models import Asset, DeviceLink, Provider, Reading, WebhookDelivery
from apps.devices.services.assets import mark_linked, upsert_assets
from apps.devices.services.errors import DeviceLinkError
from apps.devices.signals import readings_synced


@dataclass
class WebhookOutcome:
    received: int = 0
    processed: int = 0
    duplicates: int = 0


class InvalidSignature(AppError):
    status = 401
    code = "invalid_signature"
    title = "Invalid webhook signature"


def _event_id(raw: dict) -> str:
    explicit = raw.get("id") or raw.get("eventId")
    if explicit:
        return str(explicit)[:128]
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()


def enode_webhook_receive(*, body: bytes, signature: str | None) -> WebhookOutcome:
    """Verify, deduplicate and apply an Enode delivery. Each event is applied with its delivery record
    in one transaction, so a replayed event changes nothing and a failed one is applied on redelivery."""
    if not verify_webhook_signature(vendors.enode_webhook_secret(), body, signature):
        raise InvalidSignature("The X-Enode-Signature header does not match the body.")
    try:
        events = parse_webhook_events(body)
    except VendorResponseError as exc:
        raise DeviceLinkError(str(exc), code="invalid_webhook_body") from None
    outcome = WebhookOutcome(received=len(events))
    with_readings: dict[str, DeviceLink] = {}
    for event in events:
        event_id = _event_id(dict(event.raw))
        link = (
            DeviceLink.objects.filter(provider=Provider.ENODE, vendor_user_id=event.user_id).first()
            if event.user_id
            else None
        )
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    provider=Provider.ENODE, event_id=event_id, event=event.event[:120], link=link
                )
                if link is not None and link.status != DeviceLink.Status.REVOKED:
                    if _apply_enode_event(link, event):
                        with_readings[link.pk] = link
        except IntegrityError:
            outcome.duplicates += 1
            continue
        outcome.processed += 1
    for link in with_readings.values():
        readings_synced.send(sender=DeviceLink, link=link, dossier=link.dossier)
    return outcome


def _apply_enode_event(link: DeviceLink, event) -> bool:
    """Apply one event to its link; True when it stored readings."""
    if event.asset is None:
        return False
    if event.action == "deleted":
        Asset.objects.filter(link=link, kind=event.asset.kind, vendor_id=event.asset.vendor_id).delete()
        return False
    (asset,) = upsert_assets(link, [event.asset])
    mark_linked(link)
    if (
        event.action == "statistics-updated"
        and event.statistics_kwh is not None
        and len(event.statistics_kwh)
    ):
        kind = Reading.Kind.PRODUCTION if asset.kind == Asset.Kind.INVERTER else Reading.Kind.CONSUMPTION
        rows = [
            Reading(link=link, asset=asset, kind=kind, hour=hour.to_pydatetime(), kwh=round(float(kwh), 6))
            for hour, kwh in event.statistics_kwh.dropna().items()
        ]
        Reading.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["link", "asset", "kind", "hour"],
            update_fields=["kwh"],
        )
        return bool(rows)
    return False
