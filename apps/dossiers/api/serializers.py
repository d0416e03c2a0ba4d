from rest_framework import serializers

from apps.common.api.fields import UTC_DATETIME_MAPPING
from apps.common.api.strict import StrictTypesMixin
from apps.dossiers.models import Dossier


class DossierSerializer(StrictTypesMixin, serializers.ModelSerializer):
    serializer_field_mapping = UTC_DATETIME_MAPPING
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)

    class Meta:
        model = Dossier
        fields = [
            "id",
            "reference",
            "customer_name",
            "address",
            "latitude",
            "longitude",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
