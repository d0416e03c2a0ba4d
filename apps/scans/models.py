"""A scan: validated inputs in, a report out. The row is the source of truth for the job that computes it."""

import hashlib
import zlib

import numpy as np
from django.db import models

from apps.common.fields import IdField
from apps.organizations.models import Organization
from apps.organizations.tenancy import TenantQuerySet


class Scan(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"  # saved, waiting for a worker
        RUNNING = "running", "Running"  # claimed by a worker (shown as "processing" in the API)
        COMPLETED = "completed", "Completed"
        ERROR = "error", "Error"

    id = IdField()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adjustments"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROCESSING)
    error_message = models.TextField(blank=True)
    inputs = models.JSONField(help_text="Validated inputs with every default filled in (snake_case).")
    engine_version = models.CharField(max_length=20, blank=True)
    counts_toward_quota = models.BooleanField(default=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    # Report (FullReportDto body without the per-read parts) and list summary columns.
    report = models.JSONField(null=True, blank=True)
    goal = models.CharField(max_length=20, blank=True)
    self_sufficiency = models.FloatField(null=True, blank=True)
    return_period = models.FloatField(null=True, blank=True)
    co2_saved_kg = models.FloatField(null=True, blank=True)

    has_seen_report = models.BooleanField(default=False)
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    share_last_viewed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Scan {self.id} ({self.status})"

    @property
    def public_status(self) -> str:
        return self.Status.PROCESSING if self.status == self.Status.RUNNING else self.status

    @property
    def is_adjustment(self) -> bool:
        return self.copied_from_id is not None


class ScanSeries(models.Model):
    """The report's hourly series (8760 values each), stored as one compressed float32 matrix so the scan
    list stays light; plus the small yearly/monthly chart arrays."""

    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, primary_key=True, related_name="series")
    names = models.JSONField(help_text="Row names of the hourly matrix, in order.")
    hourly = models.BinaryField(help_text="zlib-compressed float32 matrix, len(names) x 8760.")
    charts = models.JSONField(default=dict, help_text="Monthly/yearly arrays (costs, cashflows, CO2).")

    def __str__(self) -> str:
        return f"Series of {self.scan_id}"

    @staticmethod
    def pack(series: dict[str, np.ndarray]) -> tuple[list[str], bytes]:
        names = list(series)
        matrix = np.vstack([np.asarray(series[name], dtype=np.float32) for name in names])
        return names, zlib.compress(matrix.tobytes(), 6)

    def unpack(self) -> dict[str, np.ndarray]:
        raw = zlib.decompress(bytes(self.hourly))
        matrix = np.frombuffer(raw, dtype=np.float32).reshape(len(self.names), -1)
        return {name: matrix[i].astype(np.float64) for i, name in enumerate(self.names)}


class ScanUsage(models.Model):
    """Scans counted per organization per calendar month (quota). Never decremented by deletes."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scan_usage")
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    count = models.PositiveIntegerField(default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "month"], name="unique_scan_usage")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month}: {self.count}"


class IdempotencyRecord(models.Model):
    """`Idempotency-Key` of a POST /v1/scans: same key + same body within 24 h answers the same scan."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    scan = models.ForeignKey(Scan, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="unique_idempotency_key")]

    def __str__(self) -> str:
        return self.key


class WeatherCacheEntry(models.Model):
    """Fetched weather years (PVGIS TMY) per rounded location, so each location is downloaded once."""

    key = models.CharField(max_length=60, unique=True, help_text='e.g. "pvgis:52.1:5.1"')
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "weather cache entries"

    def __str__(self) -> str:
        return self.key


def share_token_digest(token: str) -> str:
    """SHA-256 of a share token: a revoked link is recognised without keeping the secret itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class RevokedShareLink(models.Model):
    """A share link the installer withdrew, so its visitor is told "withdrawn" (410) rather than "unknown"."""

    token_digest = models.CharField(max_length=64, primary_key=True)
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="revoked_share_links")
    revoked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"revoked link of {self.scan_id}"
