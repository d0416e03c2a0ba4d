"""Device links: a household's vendor account (Enode, Enphase, POD) linked to a dossier, its assets and
the hourly readings synced from them.

Secrets (vendor tokens, the pending OAuth state) are stored Fernet-encrypted (``apps.devices.crypto``)
in fields that the API never serializes and the admin never shows.
"""

from django.db import models

from apps.common.fields import IdField
from apps.dossiers.models import Dossier
from apps.organizations.models import Organization
from apps.organizations.tenancy import TenantQuerySet


class Provider(models.TextChoices):
    ENODE = "enode", "Enode"
    ENPHASE = "enphase", "Enphase Enlighten"
    POD = "pod", "POD consumption API"


class DeviceLink(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending (household has not finished linking)"
        LINKED = "linked", "Linked"
        ERROR = "error", "Error"
        REVOKED = "revoked", "Revoked"

    class SyncStatus(models.TextChoices):
        NEVER = "never", "Never synced"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        OK = "ok", "Up to date"
        PARTIAL = "partial", "Partly synced (will resume)"
        FAILED = "failed", "Failed"

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="device_links")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="device_links")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    scopes = models.JSONField(default=list, blank=True)
    vendor_user_id = models.CharField(
        max_length=120, blank=True, db_index=True, help_text="Enode user id / POD account number"
    )
    settings = models.JSONField(default=dict, blank=True, help_text="Non-secret vendor parameters")

    # Secrets: encrypted, never serialized
    token_encrypted = models.TextField(blank=True, default="", editable=False)
    oauth_state_encrypted = models.TextField(blank=True, default="", editable=False)
    oauth_state_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Sync bookkeeping
    sync_status = models.CharField(max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER)
    sync_started_at = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True, help_text="Last sync that completed")
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.TextField(blank=True)
    error_at = models.DateTimeField(null=True, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)

    # Measured totals over the last 365 synced days [kWh]; None when not measured
    measured_production_kwh = models.FloatField(null=True, blank=True)
    measured_consumption_kwh = models.FloatField(null=True, blank=True)
    measured_grid_import_kwh = models.FloatField(null=True, blank=True)
    measured_grid_export_kwh = models.FloatField(null=True, blank=True)
    measured_period_start = models.DateTimeField(null=True, blank=True)
    measured_period_end = models.DateTimeField(null=True, blank=True)

    studio_profile = models.ForeignKey(
        "studio.StudioProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Studio profile whose base is kept in step with this link's measurements",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["provider", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} link {self.id} ({self.status})"

    @property
    def has_token(self) -> bool:
        return bool(self.token_encrypted)


class VendorCredential(models.Model):
    """Application-level tokens (client-credentials grants shared by all links of a provider), encrypted."""

    provider = models.CharField(max_length=10, choices=Provider.choices, unique=True)
    token_encrypted = models.TextField(blank=True, default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.provider} application token"


class Asset(models.Model):
    class Kind(models.TextChoices):
        INVERTER = "inverter", "Inverter"
        METER = "meter", "Meter"
        BATTERY = "battery", "Battery"
        VEHICLE = "vehicle", "Vehicle"
        CHARGER = "charger", "Charger"
        HVAC = "hvac", "HVAC"
        HEM_SYSTEM = "hem-system", "Home energy management system"

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(DeviceLink, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    vendor_id = models.CharField(max_length=120)
    name = models.CharField(max_length=200, blank=True)
    brand = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    capacity_kw = models.FloatField(null=True, blank=True, help_text="Rated power [kW], as the vendor states")
    capacity_kwh = models.FloatField(null=True, blank=True, help_text="Storage capacity [kWh]")
    hem_system_id = models.CharField(max_length=120, blank=True)
    facts = models.JSONField(default=dict, blank=True, help_text="Other vendor facts")
    synced_through = models.DateTimeField(
        null=True, blank=True, help_text="Readings are complete up to this instant (exclusive, UTC)"
    )
    measured_kwh = models.JSONField(
        default=dict, blank=True, help_text="kWh per reading kind over the last 365 synced days"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "kind", "vendor_id"], name="devices_asset_unique_vendor_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name or self.vendor_id}"


class Reading(models.Model):
    """Energy of one asset in one UTC hour [kWh]. Upserted on (link, asset, kind, hour): never duplicated."""

    class Kind(models.TextChoices):
        PRODUCTION = "production", "PV production"
        CONSUMPTION = "consumption", "Household consumption"
        GRID_IMPORT = "grid_import", "Grid import"
        GRID_EXPORT = "grid_export", "Grid export"
        BATTERY_CHARGE = "battery_charge", "Battery charge"
        BATTERY_DISCHARGE = "battery_discharge", "Battery discharge"

    link = models.ForeignKey(DeviceLink, on_delete=models.CASCADE, related_name="readings")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="readings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    hour = models.DateTimeField(help_text="Start of the hour (UTC)")
    kwh = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["link", "asset", "kind", "hour"], name="devices_reading_unique_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.hour:%Y-%m-%d %H:00} {self.kwh:.3f} kWh"


class WebhookDelivery(models.Model):
    """Inbound vendor webhook events already processed (deduplication by event id)."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=128)
    event = models.CharField(max_length=120, blank=True)
    link = models.ForeignKey(DeviceLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="devices_webhook_unique_event")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} {self.event_id[:12]}"
