"""Base view for tenant-owned resources: the queryset is always scoped to the caller's organization."""

from rest_framework import viewsets


class TenantScopedViewSet(viewsets.ModelViewSet):
    """Subclasses set `model`-backed `queryset`; lookups outside the organization are 404, never 403."""

    def get_queryset(self):
        return super().get_queryset().for_organization(getattr(self.request, "organization", None))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = getattr(self.request, "organization", None)
        return context
