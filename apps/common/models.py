from django.db import models


class HealthPing(models.Model):
    """Written by the health actor: proves a message travelled broker → worker → database."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token


class OutboxMessage(models.Model):
    """A job to queue, saved in the same transaction as the change that needs it (transactional outbox).

    The broker is told after commit; while it is down the row waits and the relay (every worker process,
    every OUTBOX_RELAY_INTERVAL_S) sends it once the broker is back. Sent rows are kept a day as the send log
    the scan sweep reads (was this scan's job ever sent, and how often)."""

    actor_path = models.CharField(max_length=200, help_text="Dotted path of the Dramatiq actor.")
    args = models.JSONField(default=list)
    key = models.CharField(max_length=64, blank=True, db_index=True, help_text="The first argument (an id).")
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(help_text="Next send attempt; pushed ahead while one process sends it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.actor_path}{tuple(self.args)}"
