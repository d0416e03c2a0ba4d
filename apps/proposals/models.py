"""A proposal: a locked version of a completed scan with the installer's price, which the homeowner accepts
or declines on the share page. The snapshot and its content hash never change once written."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.common.fields import IdField
from apps.organizations.models import Organization
from apps.organizations.tenancy import TenantQuerySet


class Proposal(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        VIEWED = "viewed", _("Viewed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="proposals")
    scan = models.ForeignKey(
        "scans.Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    lineage = models.CharField(
        max_length=25, help_text="Id of the original scan; adjustments of it share the lineage (versions)."
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)

    snapshot = models.JSONField(help_text="Frozen inputs, report, design, price and terms (snake_case).")
    content_hash = models.CharField(max_length=64, help_text="sha256 of the snapshot's canonical JSON.")
    currency = models.CharField(max_length=3, default="EUR")
    total_incl_vat = models.DecimalField(max_digits=12, decimal_places=2)
    panels_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    battery_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    installation_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    valid_until = models.DateField()
    terms = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    viewed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the answer's e-mails went out.")
    accepted_pdf = models.FileField(upload_to="proposals/", blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="unique_proposal_version"),
        ]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"Proposal {self.id} v{self.version} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.VIEWED)

    @property
    def current_status(self) -> str:
        """The status as of today: an open proposal past its validity date reads as expired (the row
        follows the next time it is opened or answered)."""
        if self.is_open and self.valid_until < timezone.localdate():
            return self.Status.EXPIRED
        return self.status

    def get_current_status_display(self) -> str:
        return self.Status(self.current_status).label


class ProposalResponse(models.Model):
    """The homeowner's answer: who, when, from where, and the exact version (hash) they answered."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="response")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    terms_accepted = models.BooleanField(default=False)
    remark = models.TextField(blank=True, help_text="The remark on acceptance or the reason for declining.")
    content_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=8, default="nl", help_text="The share page's language.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.decision} by {self.name or '—'} ({self.proposal_id})"


# What an answer records (admin and API show these, read-only).
RESPONSE_RECORD_FIELDS = (
    "decision",
    "name",
    "email",
    "terms_accepted",
    "remark",
    "content_hash",
    "ip_address",
    "user_agent",
    "created_at",
)
