"""Studio profiles: a household's hourly consumption built from a base profile plus adjustment layers.

Hourly arrays (8760 values of the engine's reference year, kWh per hour) are stored as little-endian
float32 bytes in BinaryFields (35 kB each); list views defer them (``StudioProfile.LIGHT_FIELDS``).
"""

from django.conf import settings
from django.db import models

from apps.common.fields import IdField
from apps.organizations.models import Organization
from apps.organizations.tenancy import TenantQuerySet


class StudioProfile(models.Model):
    class BaseType(models.TextChoices):
        TEMPLATE = "template", "Template"
        UPLOAD = "upload", "Meter file upload"
        CUSTOM = "custom", "Saved editor state"

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="studio_profiles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    lat = models.FloatField(default=52.09)
    lon = models.FloatField(default=5.12)

    # Base profile
    base_profile_type = models.CharField(max_length=10, choices=BaseType.choices, blank=True)
    base_profile_name = models.CharField(max_length=200, blank=True)
    base_template_id = models.CharField(max_length=40, blank=True)
    base_meta = models.JSONField(default=dict, blank=True, help_text="description, upload report")
    base_data = models.BinaryField(null=True, blank=True, help_text="8760 × float32 kWh, consumption")
    base_export = models.BinaryField(null=True, blank=True, help_text="8760 × float32 kWh, export")
    base_production = models.BinaryField(
        null=True, blank=True, help_text="8760 × float32 kWh, production measured by a linked inverter"
    )
    # The uploaded file is not kept, and the hourly base hides the quarter hours the Belgian capacity
    # tariff bills: a 15-minute upload leaves its monthly peaks here (meterfiles.quarter_peaks.monthly_peaks).
    quarter_peaks = models.JSONField(
        default=dict,
        blank=True,
        help_text="monthly quarter-hour and hourly import peaks [kW] of a 15-minute meter upload; {} otherwise",
    )

    # Combined result (see services.combine for how it is computed)
    result = models.BinaryField(null=True, blank=True, help_text="8760 × float32 kWh grid import")
    export_result = models.BinaryField(null=True, blank=True, help_text="8760 × float32 kWh export")
    production_result = models.BinaryField(null=True, blank=True, help_text="8760 × float32 kWh PV")
    gross_result = models.BinaryField(
        null=True, blank=True, help_text="8760 × float32 kWh gross consumption (import + own use of PV)"
    )
    reconstruction = models.JSONField(
        default=dict, blank=True, help_text="how the gross consumption was reconstructed from a net meter"
    )

    # Summary stats, kept in step with the result by every service
    total_kwh = models.FloatField(default=0)
    peak_kw = models.FloatField(default=0)
    total_export_kwh = models.FloatField(default=0)
    peak_export_kw = models.FloatField(default=0)
    layer_count = models.PositiveSmallIntegerField(default=0)
    has_solar_layer = models.BooleanField(default=False)

    idempotency_key = models.CharField(
        max_length=100, blank=True, help_text="Idempotency-Key of the create call"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    ARRAY_FIELDS = (
        "base_data",
        "base_export",
        "base_production",
        "result",
        "export_result",
        "production_result",
        "gross_result",
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["organization", "-updated_at"]),
            models.Index(fields=["organization", "idempotency_key"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_base(self) -> bool:
        return bool(self.base_profile_type)

    @property
    def is_measured_base(self) -> bool:
        """A net meter base (file upload, device link, or editor data with export): its import and export
        are measured and kept; a template (or editor data without export) is a gross consumption."""
        return self.base_profile_type == self.BaseType.UPLOAD or self.base_export is not None


class StudioLayer(models.Model):
    class Kind(models.TextChoices):
        EV = "ev_charger", "EV charger"
        HEAT_PUMP = "heat_pump", "Heat pump"
        POOL = "pool", "Pool"
        CUSTOM = "custom", "Custom"
        SOLAR = "solar", "Solar"

    id = IdField()
    profile = models.ForeignKey(StudioProfile, on_delete=models.CASCADE, related_name="layers")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    preset_id = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    enabled = models.BooleanField(default=True)
    icon = models.CharField(max_length=40, blank=True)
    color = models.CharField(max_length=40, blank=True)
    config = models.JSONField(default=dict, help_text="schedule, hourly_kw, max_kw, solar_config, ev_config")
    data = models.BinaryField(null=True, blank=True, help_text="8760 × float32 kWh (solar: production)")
    annual_kwh = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"
