"""Installers work in organizations: members with roles, API keys, branding, plan and scan quota."""

from django.conf import settings
from django.db import models

from apps.common.fields import IdField
from apps.organizations.tenancy import TenantQuerySet

DEFAULT_FREE_MONTHLY_SCAN_QUOTA = 10
DEFAULT_ADJUSTABLE_STEPS = ["battery", "newPv", "tariff", "goal", "analysisYears"]


class Organization(models.Model):
    class Plan(models.TextChoices):
        FREE = "free", "Free"
        PAID = "paid", "Paid"

    id = IdField()
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    plan = models.CharField(max_length=10, choices=Plan.choices, default=Plan.FREE)
    monthly_scan_quota = models.PositiveIntegerField(
        default=DEFAULT_FREE_MONTHLY_SCAN_QUOTA, help_text="Scans per calendar month on the free plan."
    )
    adjustable_steps = models.JSONField(
        default=list,
        blank=True,
        help_text="Input groups an adjustment may change, e.g. battery, newPv, tariff.",
    )
    branding_enabled = models.BooleanField(default=False)
    branding_display_name = models.CharField(max_length=200, blank=True)
    branding_logo = models.FileField(upload_to="branding/", blank=True)
    branding_color = models.CharField(max_length=7, blank=True, help_text="Hex colour, e.g. #0f766e")
    proposal_terms = models.TextField(
        blank=True, help_text="Terms and conditions printed on every proposal the homeowner accepts."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_paid(self) -> bool:
        return self.plan == self.Plan.PAID


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def can_manage(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)


class ApiKey(models.Model):
    """An organization API key. Only a SHA-256 hash of the key is stored; the prefix stays visible."""

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class WebhookEndpoint(models.Model):
    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100, help_text="Standard Webhooks signing secret (whsec_…)")
    events = models.JSONField(default=list, help_text="Event types to deliver; empty means all.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.url


class DeliveryQuerySet(TenantQuerySet):
    tenant_field = "endpoint__organization"  # a delivery belongs to its endpoint's organization


class WebhookDelivery(models.Model):
    """One event sent to one endpoint; every attempt (time, HTTP status or error) is appended to `attempts`."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    id = IdField()
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=60)
    payload = models.JSONField(help_text="The signed body: {type, timestamp, data}.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    attempts = models.JSONField(default=list, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["endpoint", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"

    @property
    def message_id(self) -> str:
        """The Standard Webhooks `webhook-id`: stable across retries and replays so receivers can dedupe."""
        return f"msg_{self.id}"
