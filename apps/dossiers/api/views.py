from contextlib import contextmanager

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError

from apps.common.api.strict import STRICT_TYPES
from apps.dossiers import selectors, services
from apps.dossiers.api.serializers import DossierSerializer
from apps.dossiers.models import Dossier
from apps.organizations.api.views import TenantScopedViewSet


@contextmanager
def _postcode_as_400():
    """The serializer checks the postcode first; should the lookup still refuse it, a 400, never a 500."""
    try:
        yield
    except services.UnknownPostcode as exc:
        raise ValidationError({"postcode": [f"Postcode {exc} is not known."]}) from exc


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("search", str, description="Name, reference or address")])
)
class DossierViewSet(TenantScopedViewSet):
    queryset = Dossier.objects.all()
    serializer_class = DossierSerializer
    http_method_names = ["get", "post", "patch", "put", "delete"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.dossier_list(
                organization=self.request.organization, search=self.request.query_params.get("search", "")
            )
        return super().get_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), STRICT_TYPES: True}

    def perform_create(self, serializer):
        with _postcode_as_400():
            serializer.instance = services.dossier_create(
                organization=self.request.organization, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with _postcode_as_400():
            serializer.instance = services.dossier_update(
                dossier=serializer.instance, **serializer.validated_data
            )

    def perform_destroy(self, instance):
        services.dossier_delete(dossier=instance)
