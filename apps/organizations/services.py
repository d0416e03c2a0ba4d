"""Writes for organizations, memberships, API keys and webhook endpoints."""

import base64
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from apps.common.errors import AppError, Forbidden
from apps.organizations.keys import generate_key
from apps.organizations.models import (
    DEFAULT_ADJUSTABLE_STEPS,
    ApiKey,
    Membership,
    Organization,
    WebhookEndpoint,
)
from apps.organizations.webhook_targets import checked_target


def new_webhook_secret() -> str:
    """A Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes (the spec's format)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@dataclass(frozen=True)
class IssuedApiKey:
    api_key: ApiKey
    raw_key: str  # shown once, never stored


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "org"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organization_create(
    *, name: str, owner_email: str, owner_password: str | None = None, plan: str = Organization.Plan.FREE
) -> Organization:
    if plan not in Organization.Plan.values:
        raise AppError(f"plan must be one of {Organization.Plan.values}", errors={"plan": ["unknown plan"]})
    organization = Organization.objects.create(
        name=name, slug=_unique_slug(name), plan=plan, adjustable_steps=list(DEFAULT_ADJUSTABLE_STEPS)
    )
    User = get_user_model()
    owner = User.objects.filter(email__iexact=owner_email).first()
    if owner is None:
        owner = User.objects.create_user(email=owner_email, password=owner_password)
    elif owner_password:
        owner.set_password(owner_password)
        owner.save(update_fields=["password"])
    Membership.objects.create(organization=organization, user=owner, role=Membership.Role.OWNER)
    return organization


@transaction.atomic
def membership_add(
    *, organization: Organization, email: str, role: str = Membership.Role.MEMBER, password: str | None = None
) -> Membership:
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first() or User.objects.create_user(
        email=email, password=password
    )
    membership, _ = Membership.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def api_key_create(*, organization: Organization, name: str, created_by=None) -> IssuedApiKey:
    raw, prefix, digest = generate_key()
    api_key = ApiKey.objects.create(
        organization=organization, name=name, prefix=prefix, key_hash=digest, created_by=created_by
    )
    return IssuedApiKey(api_key=api_key, raw_key=raw)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record use at most once a minute, so authentication does not write on every request (issue 18).

    The row just read says whether a write is due; the UPDATE repeats the condition, so when several
    workers find it due at once only the first one writes."""
    now = timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if api_key.last_used_at is None or api_key.last_used_at < stale:
        ApiKey.objects.filter(pk=api_key.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
        api_key.last_used_at = now


def webhook_endpoint_create(*, organization: Organization, url: str, events: list[str]) -> WebhookEndpoint:
    """Raises webhook_targets.RefusedTarget for a URL that is not https on the public internet."""
    checked_target(url)
    return WebhookEndpoint.objects.create(
        organization=organization, url=url, events=events, secret=new_webhook_secret()
    )


WEBHOOK_EVENTS = ("scan.completed", "scan.failed", "share.viewed", "performance.alert")


def _owner_count(organization: Organization) -> int:
    return Membership.objects.for_organization(organization).filter(role=Membership.Role.OWNER).count()


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
    list(Membership.objects.select_for_update().for_organization(membership.organization_id))
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
    list(Membership.objects.select_for_update().for_organization(membership.organization_id))
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
    proposal_terms: str | None = None,
) -> Organization:
    """Set the share-page branding. `logo` is an already validated uploaded file (or None to keep);
    `proposal_terms` None keeps the current terms."""
    organization.branding_enabled = enabled
    organization.branding_display_name = display_name
    organization.branding_color = color
    old_logo = organization.branding_logo.name if organization.branding_logo else ""
    if logo is not None:
        organization.branding_logo.save(logo.name, logo, save=False)
    elif remove_logo:
        organization.branding_logo = ""
    if proposal_terms is not None:
        organization.proposal_terms = proposal_terms
    organization.save(
        update_fields=[
            "branding_enabled",
            "branding_display_name",
            "branding_color",
            "branding_logo",
            "proposal_terms",
        ]
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
