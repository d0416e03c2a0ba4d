"""What was installed on a dossier, its monthly expected-versus-actual figures, and the performance alert.

``MonthlyPerformance`` rows are derived data: ``performance_refresh`` rewrites them from the installed
design and the stored readings, so they can always be recomputed (idempotent).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.common.fields import IdField
from apps.dossiers.models import Dossier
from apps.organizations.models import Organization
from apps.organizations.tenancy import TenantQuerySet


class InstalledDesign(models.Model):
    """The system as installed: arrays and battery as plain JSON (snake_case), the install date."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered by hand")
        PROPOSAL = "proposal", _("accepted proposal")
        SCAN = "scan", _("completed scan")

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="installed_design")
    install_date = models.DateField()
    arrays = models.JSONField(
        help_text="[{panel_count, panel_power_watts, tilt_deg, azimuth_deg, losses_pct}] (Wp, °, %)"
    )
    battery = models.JSONField(null=True, blank=True, help_text="{capacity_kwh, power_kw} or null")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_id = models.CharField(max_length=25, blank=True, help_text="The proposal or scan it came from")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Installed design of {self.dossier_id} ({self.install_date})"

    @property
    def kwp(self) -> float:
        return sum(a["panel_count"] * a["panel_power_watts"] for a in self.arrays) / 1000.0


class MonthlyPerformance(models.Model):
    """One calendar month since installation: expected band [kWh], measured production [kWh], coverage."""

    class Status(models.TextChoices):
        OK = "ok", _("within or above the expected band")
        LOW = "low", _("below the expected band")
        MISSING = "missing", _("not enough data")
        RUNNING = "running", _("month not finished")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="monthly_performance")
    month = models.DateField(help_text="First day of the month")
    operating_year = models.PositiveSmallIntegerField()
    expected_low_kwh = models.FloatField()
    expected_kwh = models.FloatField(help_text="Typical: mean over the measured weather years")
    expected_high_kwh = models.FloatField()
    expected_this_weather_kwh = models.FloatField(
        null=True, blank=True, help_text="With the measured weather of this very month, when available"
    )
    actual_kwh = models.FloatField(null=True, blank=True, help_text="None: no readings at all")
    coverage = models.FloatField(
        help_text="Share of the month's hours (since installation) with readings [-]"
    )
    covered_share = models.FloatField(
        help_text="Share of the expected production falling in the hours with readings [-]"
    )
    ratio = models.FloatField(
        null=True, blank=True, help_text="actual / expected typical for the covered hours"
    )
    status = models.CharField(max_length=10, choices=Status.choices)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "month"], name="monitoring_month_unique_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.month:%Y-%m} {self.status}"


class PerformanceAlert(models.Model):
    """An underperformance finding: raised once, updated while it holds, cleared when production recovers."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CLEARED = "cleared", _("cleared")

    class Rule(models.TextChoices):
        CONSECUTIVE = "consecutive", _("two months in a row below the expected band")
        FIRST_YEAR = "first-year", _("first full year below the expected band")

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="performance_alerts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    rule = models.CharField(max_length=12, choices=Rule.choices)
    since_month = models.DateField(help_text="First month of the shortfall")
    shortfall_pct = models.FloatField(help_text="How far production is below expected typical [%]")
    raised_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(status="active"),
                name="monitoring_one_active_alert_per_dossier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.status} since {self.since_month:%Y-%m}"
