import dramatiq

from apps.organizations.webhooks import webhook_deliver

# 8 retries with exponential backoff from 10 s (capped at 1 h): about 4 hours of trying in all.
WEBHOOK_MAX_RETRIES = 8


@dramatiq.actor(
    max_retries=WEBHOOK_MAX_RETRIES, min_backoff=10_000, max_backoff=3_600_000, queue_name="webhooks"
)
def deliver_webhook(delivery_id: str) -> None:
    """Send one webhook delivery; a failed attempt raises, and Dramatiq retries it with backoff."""
    webhook_deliver(delivery_id=delivery_id)
