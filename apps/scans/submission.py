"""Submitting a scan: the one entry point for the API and the portal.

validate (the seed's flow rules, in `api.serializers.ScanCreateSerializer`) → for an adjustment, resolve the
root and merge its inputs → check the adjustable steps → `services.scan_create` (quota, idempotency,
enqueue). Takes the body in snake_case (the API's camelCase parser, or a form, provides it).
"""

from apps.common.api.strict import STRICT_TYPES
from apps.common.errors import AppError
from apps.organizations.models import Organization
from apps.scans import selectors, services


def scan_submit(
    *,
    organization: Organization,
    data: dict,
    idempotency_key: str | None = None,
    strict_types: bool = False,
) -> services.CreatedScan:
    """`strict_types`: JSON types exactly as the schema declares (the API); the portal's form posts text."""
    from apps.scans.api.serializers import ScanCreateSerializer

    if not isinstance(data, dict):
        raise AppError("The body must be a JSON object.", errors={"body": ["Expected a JSON object."]})
    body_hash = services.request_hash(data)
    root = None
    if data.get("copied_from_id"):
        root = services.adjustment_root(organization=organization, copied_from_id=data["copied_from_id"])
        data = services.adjustment_body(root=root, data=data)
    serializer = ScanCreateSerializer(
        data=data, context={"organization": organization, STRICT_TYPES: strict_types}
    )
    serializer.is_valid(raise_exception=True)
    inputs = dict(serializer.validated_data)
    if root is not None:
        services.adjustment_check(organization=organization, root=root, inputs=inputs)
    dossier = None
    if inputs.get("dossier_id"):
        dossier = selectors.dossier_for(organization=organization, dossier_id=inputs["dossier_id"])
    return services.scan_create(
        organization=organization,
        inputs=inputs,
        dossier=dossier,
        copied_from=root,
        idempotency_key=idempotency_key or None,
        body_hash=body_hash,
    )
