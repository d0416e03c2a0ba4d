from django.contrib import admin

from apps.proposals.models import RESPONSE_RECORD_FIELDS, Proposal, ProposalResponse

RESPONSE_FIELDS = (*RESPONSE_RECORD_FIELDS, "language")


class ProposalResponseInline(admin.StackedInline):
    """The acceptance record is evidence: shown, never edited or deleted here."""

    model = ProposalResponse
    can_delete = False
    extra = 0
    max_num = 0
    readonly_fields = RESPONSE_FIELDS
    fields = RESPONSE_FIELDS


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "organization",
        "scan",
        "version",
        "status",
        "total_incl_vat",
        "valid_until",
        "created_at",
    )
    list_filter = ("status",)
    search_fields = ("id", "organization__name", "lineage", "response__name", "response__email")
    list_select_related = ("organization", "scan")
    inlines = [ProposalResponseInline]
    readonly_fields = (
        "id",
        "organization",
        "scan",
        "lineage",
        "version",
        "snapshot",
        "content_hash",
        "currency",
        "total_incl_vat",
        "panels_price",
        "battery_price",
        "installation_price",
        "terms",
        "created_at",
        "viewed_at",
        "decided_at",
        "withdrawn_at",
        "notified_at",
        "accepted_pdf",
    )

    def get_readonly_fields(self, request, obj=None):
        """The locked content is never editable; once accepted, nothing is (status and validity included)."""
        if obj is not None and obj.status == Proposal.Status.ACCEPTED:
            return [field.name for field in Proposal._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status != Proposal.Status.ACCEPTED
