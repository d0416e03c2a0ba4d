"""A dossier is one customer at one address: it groups that customer's scans, profiles and device links."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.common.fields import IdField
from apps.organizations.models import Organization
from apps.organizations.tenancy import TenantQuerySet


class Country(models.TextChoices):
    NL = "NL", _("Netherlands")
    BE = "BE", _("Belgium")


class LocationAccuracy(models.TextChoices):
    ADDRESS = "address", _("address")
    POSTCODE = "postcode", _("postcode area")
    MANUAL = "manual", _("entered by hand")


class Dossier(models.Model):
    Country = Country

    id = IdField()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="dossiers")
    reference = models.CharField(max_length=100, blank=True, help_text="The installer's own reference")
    customer_name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, choices=Country.choices, default=Country.NL)
    postcode = models.CharField(max_length=10, blank=True)
    house_number = models.CharField(max_length=12, blank=True)
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    location_accuracy = models.CharField(
        max_length=10,
        choices=LocationAccuracy.choices,
        blank=True,
        help_text="How precise the coordinates are: the exact address, the postcode area's centre, or typed",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.customer_name} ({self.reference})" if self.reference else self.customer_name
