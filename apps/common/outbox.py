"""Transactional outbox: `outbox_enqueue` saves the job with the caller's transaction; the broker is told after
commit (`outbox_send`) and, while it is down, by the relay (`outbox_relay`) within seconds of its return.

So a broker outage never loses a job, never turns a saved change into a 500, and never leaves a half-done
request: the row and the job are one commit.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.common.models import OutboxMessage

log = logging.getLogger(__name__)

SEND_LEASE = timedelta(seconds=30)  # one process sends a row; a crashed sender's lease runs out
RETRY_AFTER = timedelta(seconds=2)  # the broker was down: the next relay round tries again
KEEP_SENT = timedelta(days=1)  # the send log the scan sweep reads
RELAY_BATCH = 200


def outbox_enqueue(actor_path: str, *args) -> OutboxMessage:
    """Save a job to queue with the current transaction; it is sent after commit (or by the relay)."""
    row = OutboxMessage.objects.create(
        actor_path=actor_path, args=list(args), key=str(args[0])[:64] if args else "", due_at=timezone.now()
    )
    transaction.on_commit(lambda: outbox_send(ids=[row.pk]), robust=True)
    return row


def _claim(row_id: int, due_at, now) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=row_id, sent_at__isnull=True, due_at=due_at).update(
            due_at=now + SEND_LEASE
        )
    )


def outbox_send(*, ids: list[int] | None = None) -> int:
    """Send due rows (or the given ones) to the broker. Stops at the first broker error (it is down: the
    remaining rows wait for the next round). Returns how many were sent."""
    now = timezone.now()
    rows = OutboxMessage.objects.filter(sent_at__isnull=True, due_at__lte=now)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    sent = 0
    for row in list(rows.order_by("due_at", "pk")[:RELAY_BATCH]):
        if not _claim(row.pk, row.due_at, now):
            continue  # another process has it
        try:
            import_string(row.actor_path).send(*row.args)
        except Exception as exc:  # broker down or unreachable: keep the row, try again shortly
            OutboxMessage.objects.filter(pk=row.pk).update(
                due_at=timezone.now() + RETRY_AFTER,
                attempts=F("attempts") + 1,
                last_error=f"{type(exc).__name__}: {exc}"[:500],
            )
            log.warning("outbox: %s not sent (%s); the relay retries", row, type(exc).__name__)
            break
        OutboxMessage.objects.filter(pk=row.pk).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        sent += 1
    return sent


PRUNE_EVERY = timedelta(minutes=10)
_last_prune = {"at": None}


def outbox_relay() -> int:
    """One relay round (periodic, every worker process): send what is due; every PRUNE_EVERY also forget
    rows sent more than KEEP_SENT ago (not every round: on SQLite each delete takes the write lock)."""
    sent = outbox_send()
    now = timezone.now()
    if _last_prune["at"] is None or now - _last_prune["at"] >= PRUNE_EVERY:
        _last_prune["at"] = now
        OutboxMessage.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    return sent


def outbox_pending_count() -> int:
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()
