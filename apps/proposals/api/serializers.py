from rest_framework import serializers

from apps.common.api.fields import UTC_DATETIME_MAPPING, UtcDateTimeField
from apps.common.api.pagination import page_envelope
from apps.common.api.strict import StrictTypesMixin
from apps.proposals.models import RESPONSE_RECORD_FIELDS, Proposal, ProposalResponse
from apps.proposals.services import MAX_VALIDITY_DAYS

MONEY = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": False}


class ProposalCreateSerializer(StrictTypesMixin, serializers.Serializer):
    scan_id = serializers.CharField(max_length=25, help_text="A completed scan of your organization.")
    total_incl_vat = serializers.DecimalField(min_value=0, help_text="Total price incl. VAT [EUR].", **MONEY)
    panels_price = serializers.DecimalField(min_value=0, required=False, allow_null=True, **MONEY)
    battery_price = serializers.DecimalField(min_value=0, required=False, allow_null=True, **MONEY)
    installation_price = serializers.DecimalField(min_value=0, required=False, allow_null=True, **MONEY)
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=f"Last day it can be accepted; default 30 days from today, at most {MAX_VALIDITY_DAYS}.",
    )


class ProposalResponseSerializer(serializers.ModelSerializer):
    serializer_field_mapping = UTC_DATETIME_MAPPING

    class Meta:
        model = ProposalResponse
        fields = list(RESPONSE_RECORD_FIELDS)


class ProposalSerializer(serializers.ModelSerializer):
    serializer_field_mapping = UTC_DATETIME_MAPPING
    status = serializers.ChoiceField(
        choices=Proposal.Status.choices, source="current_status", help_text="As of today (expired included)."
    )
    dossier_id = serializers.CharField(source="scan.dossier_id", allow_null=True, default=None)
    share_token = serializers.CharField(
        source="scan.share_token",
        allow_null=True,
        default=None,
        help_text="The homeowner's link: /s/{token}.",
    )
    total_incl_vat = serializers.DecimalField(**MONEY)
    panels_price = serializers.DecimalField(allow_null=True, **MONEY)
    battery_price = serializers.DecimalField(allow_null=True, **MONEY)
    installation_price = serializers.DecimalField(allow_null=True, **MONEY)
    response = ProposalResponseSerializer(allow_null=True, help_text="The homeowner's answer, once given.")
    viewed_at = UtcDateTimeField(allow_null=True)
    decided_at = UtcDateTimeField(allow_null=True)
    withdrawn_at = UtcDateTimeField(allow_null=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "scan_id",
            "dossier_id",
            "share_token",
            "version",
            "status",
            "content_hash",
            "currency",
            "total_incl_vat",
            "panels_price",
            "battery_price",
            "installation_price",
            "valid_until",
            "terms",
            "created_at",
            "viewed_at",
            "decided_at",
            "withdrawn_at",
            "response",
        ]


ProposalListPageSerializer = page_envelope("ProposalListPageSerializer", ProposalSerializer)
