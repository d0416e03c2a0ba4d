from rest_framework import serializers

from apps.common.api.fields import UTC_DATETIME_MAPPING
from apps.common.api.strict import StrictTypesMixin
from apps.dossiers.models import Dossier
from apps.dossiers.services import EDITABLE_FIELDS, postcode_error


class DossierSerializer(StrictTypesMixin, serializers.ModelSerializer):
    serializer_field_mapping = UTC_DATETIME_MAPPING
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    postcode = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="NL (3511 AW or 3511) or BE (9000) postcode. Without latitude/longitude the dossier gets "
        "the coordinates of the address (where an address service is configured) or of the postcode area.",
    )
    location_accuracy = serializers.CharField(
        read_only=True,
        help_text="address (the exact address), postcode (the postcode area's centre), manual (typed) "
        "or empty (no coordinates)",
    )

    class Meta:
        model = Dossier
        fields = ["id", *EDITABLE_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        if "postcode" in attrs or "country" in attrs:  # a new country must fit the stored postcode too
            country = attrs.get("country") or getattr(self.instance, "country", None)
            postcode = attrs.get("postcode", getattr(self.instance, "postcode", "")) or ""
            message = postcode_error(country, postcode)
            if message:
                raise serializers.ValidationError({"postcode": [message]})
        return attrs
