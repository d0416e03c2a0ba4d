import dramatiq

from apps.common.models import HealthPing


@dramatiq.actor(max_retries=0, queue_name="default")
def health_ping(token: str) -> None:
    """Trivial actor: records that a worker received the message."""
    HealthPing.objects.get_or_create(token=token)
