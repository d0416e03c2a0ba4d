"""Day-ahead price years added at run time (``manage.py add_price_year``), next to the engine's built-in ones."""

from django.db import models


class PriceYear(models.Model):
    """One complete local calendar year of hourly day-ahead prices of a bidding zone.

    ``eur_per_mwh``: one value per hour [EUR/MWh excl. taxes] from 23:00 UTC on 31 December of the previous
    year (00:00 local time in NL and BE), 8,760 or 8,784 values, as the built-in files.
    """

    country = models.CharField(max_length=2, choices=[("NL", "NL"), ("BE", "BE")])
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200, help_text="Where the prices were fetched from.")
    eur_per_mwh = models.JSONField()
    mean_eur_per_mwh = models.FloatField()
    negative_hours = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year"], name="unique_price_year")]
        ordering = ["country", "year"]

    def __str__(self) -> str:
        return f"{self.country} {self.year} ({self.source})"
