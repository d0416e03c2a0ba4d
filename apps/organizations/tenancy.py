"""Tenant scoping in one place: every tenant row is reached through `.for_organization(org)`.

Views, the portal, selectors and services never filter on the organization themselves; a model whose rows
belong to an organization through another row (a webhook delivery through its endpoint) names that path in
`tenant_field`, so the one method still holds the wall."""

from django.db import models


class TenantQuerySet(models.QuerySet):
    tenant_field = "organization"

    def for_organization(self, organization):
        """Only this organization's rows; none at all without an organization (never everyone's)."""
        if organization is None:
            return self.none()
        return self.filter(**{self.tenant_field: organization})
