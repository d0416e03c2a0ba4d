"""Organization writes the portal needs that `apps.organizations.services` does not offer yet.

These are business rules (roles, the last owner, branding files, webhook state), so they belong in
`apps/organizations/services.py`; they live here only until the organizations app takes them over.
Same style as there: keyword-only arguments, atomic, `AppError` for refusals.
"""

from django.db import transaction

from apps.common.errors import AppError, Forbidden
from apps.organizations.models import Membership, Organization, WebhookEndpoint

WEBHOOK_EVENTS = ("scan.completed", "scan.failed", "share.viewed")


def _owner_count(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Membership.Role.OWNER).count()


def _check_actor_may_touch(*, actor: Membership, target: Membership, new_role: str | None = None) -> None:
    """Owners may change anyone; admins may not touch owners nor hand out the owner role."""
    if not actor.can_manage:
        raise Forbidden("Only owners and admins manage members.")
    if actor.role != Membership.Role.OWNER and (
        target.role == Membership.Role.OWNER or new_role == Membership.Role.OWNER
    ):
        raise Forbidden("Only an owner can change an owner or make someone owner.", code="owner_only")


@transaction.atomic
def membership_role_change(*, actor: Membership, membership: Membership, role: str) -> Membership:
    if role not in Membership.Role.values:
        raise AppError("Unknown role.", errors={"role": ["unknown role"]})
    _check_actor_may_touch(actor=actor, target=membership, new_role=role)
    # Lock the owners so two concurrent demotions cannot both pass the last-owner check.
    list(Membership.objects.select_for_update().filter(organization_id=membership.organization_id))
    if (
        membership.role == Membership.Role.OWNER
        and role != Membership.Role.OWNER
        and _owner_count(membership.organization) <= 1
    ):
        raise AppError("An organization keeps at least one owner.", code="last_owner")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor: Membership, membership: Membership) -> None:
    _check_actor_may_touch(actor=actor, target=membership)
    list(Membership.objects.select_for_update().filter(organization_id=membership.organization_id))
    if membership.role == Membership.Role.OWNER and _owner_count(membership.organization) <= 1:
        raise AppError("An organization keeps at least one owner.", code="last_owner")
    membership.delete()


@transaction.atomic
def organization_branding_update(
    *,
    organization: Organization,
    enabled: bool,
    display_name: str,
    color: str,
    logo=None,
    remove_logo: bool = False,
) -> Organization:
    """Set the share-page branding. `logo` is an already validated uploaded file (or None to keep)."""
    organization.branding_enabled = enabled
    organization.branding_display_name = display_name
    organization.branding_color = color
    old_logo = organization.branding_logo.name if organization.branding_logo else ""
    if logo is not None:
        organization.branding_logo.save(logo.name, logo, save=False)
    elif remove_logo:
        organization.branding_logo = ""
    organization.save(
        update_fields=["branding_enabled", "branding_display_name", "branding_color", "branding_logo"]
    )
    new_logo = organization.branding_logo.name if organization.branding_logo else ""
    if old_logo and old_logo != new_logo:
        storage = organization.branding_logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return organization


def webhook_endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    endpoint.active = active
    endpoint.save(update_fields=["active"])
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()
