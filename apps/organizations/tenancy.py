"""Tenant scoping in one place: every domain queryset goes through `.for_organization(org)`."""

from django.db import models


class TenantQuerySet(models.QuerySet):
    def for_organization(self, organization):
        if organization is None:
            return self.none()
        return self.filter(organization=organization)
