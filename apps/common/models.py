from django.db import models


class HealthPing(models.Model):
    """Written by the health actor: proves a message travelled broker → worker → database."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.token
