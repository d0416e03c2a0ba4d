"""Submitting a scan, the service side: for an adjustment, resolve the root and merge its inputs
(``adjustment_start``); then, with inputs the API layer validated (``apps.scans.api.submission``: the seed's
flow rules in ``ScanCreateSerializer``), check the adjustable steps and create the scan
(``scan_submit_validated``: quota, idempotency, enqueue). Bodies and inputs are snake_case. Raises only
``AppError``.
"""

from apps.common.errors import AppError
from apps.dossiers.selectors import dossier_get
from apps.organizations.models import Organization
from apps.scans import services
from apps.scans.models import Scan


def adjustment_start(*, organization: Organization, data: dict) -> tuple[Scan | None, dict]:
    """(the root original, the body to validate) for a body naming ``copied_from_id`` — the root's inputs
    overlaid with what the body gives — else (None, the body)."""
    if not isinstance(data, dict):
        raise AppError("The body must be a JSON object.", errors={"body": ["Expected a JSON object."]})
    if not data.get("copied_from_id"):
        return None, data
    root = services.adjustment_root(organization=organization, copied_from_id=data["copied_from_id"])
    return root, services.adjustment_body(root=root, data=data)


def scan_submit_validated(
    *,
    organization: Organization,
    inputs: dict,
    root: Scan | None,
    body_hash: str,
    idempotency_key: str | None = None,
) -> services.CreatedScan:
    """Validated ``inputs`` → (an adjustment: only the organization's adjustable steps may differ from
    ``root``) → the dossier they name → ``services.scan_create``."""
    if root is not None:
        services.adjustment_check(organization=organization, root=root, inputs=inputs)
    dossier = None
    if inputs.get("dossier_id"):
        dossier = dossier_get(organization=organization, dossier_id=inputs["dossier_id"])
    return services.scan_create(
        organization=organization,
        inputs=inputs,
        dossier=dossier,
        copied_from=root,
        idempotency_key=idempotency_key or None,
        body_hash=body_hash,
    )
