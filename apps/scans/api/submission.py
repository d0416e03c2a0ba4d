"""Submitting a scan body: the one entry point for the API and the portal.

The API layer's part: hash the body as sent (idempotency), merge an adjustment onto its root
(``submission.adjustment_start``), validate with ``ScanCreateSerializer`` (the seed's flow rules; DRF's
``ValidationError`` names each field), then hand the validated inputs to the service
(``submission.scan_submit_validated``). Takes the body in snake_case (the API's camelCase parser, or a
form, provides it).
"""

from apps.common.api.strict import STRICT_TYPES
from apps.organizations.models import Organization
from apps.scans import services, submission
from apps.scans.api.serializers import ScanCreateSerializer


def scan_submit(
    *,
    organization: Organization,
    data: dict,
    idempotency_key: str | None = None,
    strict_types: bool = False,
) -> services.CreatedScan:
    """`strict_types`: JSON types exactly as the schema declares (the API); the portal's form posts text."""
    root, merged = submission.adjustment_start(organization=organization, data=data)
    serializer = ScanCreateSerializer(
        data=merged, context={"organization": organization, STRICT_TYPES: strict_types}
    )
    serializer.is_valid(raise_exception=True)
    return submission.scan_submit_validated(
        organization=organization,
        inputs=dict(serializer.validated_data),
        root=root,
        body_hash=services.request_hash(data),
        idempotency_key=idempotency_key,
    )
