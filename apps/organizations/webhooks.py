"""Outgoing webhooks (Standard Webhooks): record a delivery per active endpoint, sign, send, log each attempt.

Domain apps call `webhook_emit(organization=…, event_type="scan.completed", data={…})` inside their
transaction; deliveries are sent by the `deliver_webhook` actor after commit and retried with backoff.
Headers: `webhook-id` (stable per delivery, so receivers can dedupe retries and replays), `webhook-timestamp`
(unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`).
"""

import json
import time
from datetime import UTC, datetime

import httpx
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from apps.common.outbox import outbox_enqueue
from apps.organizations.models import Organization, WebhookDelivery, WebhookEndpoint
from apps.organizations.webhook_targets import (
    REFUSED_LOG_MESSAGE,
    RefusedTarget,
    checked_target,
    post_to_target,
)

DELIVERY_TIMEOUT_S = 10.0
USER_AGENT = "Solarscan-Webhooks/1"


class WebhookDeliveryFailed(Exception):
    """A non-2xx answer or a network error: the actor lets Dramatiq retry it with backoff."""


def _wants(endpoint: WebhookEndpoint, event_type: str) -> bool:
    return not endpoint.events or event_type in endpoint.events


def _enqueue(delivery_ids: list[str]) -> None:
    """Queue the deliveries with the current transaction (outbox): a broker outage delays, never loses them."""
    for delivery_id in delivery_ids:
        outbox_enqueue("apps.organizations.jobs.deliver_webhook", delivery_id)


def webhook_emit(*, organization: Organization | None, event_type: str, data: dict) -> list[WebhookDelivery]:
    """Create one delivery per active endpoint subscribed to `event_type`; send them after commit."""
    if organization is None:
        return []
    payload = {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}
    deliveries = [
        WebhookDelivery.objects.create(endpoint=endpoint, event_type=event_type, payload=payload)
        for endpoint in WebhookEndpoint.objects.for_organization(organization).filter(active=True)
        if _wants(endpoint, event_type)
    ]
    _enqueue([delivery.id for delivery in deliveries])
    return deliveries


def signed_request(delivery: WebhookDelivery, *, now: datetime | None = None) -> tuple[bytes, dict[str, str]]:
    """The exact body bytes and the Standard Webhooks headers for one attempt."""
    now = now or datetime.now(UTC)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    signature = Webhook(delivery.endpoint.secret).sign(delivery.message_id, now, body)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return body.encode(), headers


def webhook_deliver(*, delivery_id: str) -> WebhookDelivery | None:
    """One attempt: POST the signed body, append the outcome to the log; raise WebhookDeliveryFailed on
    failure so the caller (the actor) retries. Already delivered → nothing happens."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == WebhookDelivery.Status.SUCCEEDED:
        return delivery
    started = time.monotonic()
    status_code, error, retry = None, "", True
    try:
        body, headers = signed_request(delivery)
    except (ValueError, TypeError) as exc:  # binascii.Error is a ValueError: a secret that is not base64
        error, retry = f"Cannot sign with this endpoint's secret ({exc}); set a whsec_ base64 secret.", False
    else:
        try:
            target = checked_target(delivery.endpoint.url)  # again at each delivery: DNS can change
            response = post_to_target(target, content=body, headers=headers, timeout=DELIVERY_TIMEOUT_S)
            status_code = response.status_code
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except RefusedTarget:
            error, retry = REFUSED_LOG_MESSAGE, False
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
    attempt = {
        "at": timezone.now().isoformat(),
        "statusCode": status_code,
        "error": error,
        "durationMs": round((time.monotonic() - started) * 1000),
    }
    delivery.attempts = [*delivery.attempts, attempt]
    delivery.attempt_count += 1
    delivery.last_status_code = status_code
    if error:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = timezone.now()
    delivery.save(update_fields=["attempts", "attempt_count", "last_status_code", "status", "delivered_at"])
    if error and retry:
        raise WebhookDeliveryFailed(f"{delivery.endpoint.url}: {error}")
    return delivery


def webhook_replay(*, delivery: WebhookDelivery) -> None:
    """Send a delivery again (same webhook-id), whatever its status."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.PENDING)
        _enqueue([delivery.pk])
