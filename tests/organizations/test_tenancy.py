"""The one door into tenant data: every model whose rows belong to an organization is reached through
`TenantQuerySet.for_organization`, which never answers another organization's rows, nor anyone's without an
organization. The portal and API tests check the walls page by page; these check the door itself."""

import pytest
from django.apps import apps

from apps.common.errors import NotFound
from apps.organizations.models import Organization, WebhookDelivery
from apps.organizations.selectors import (
    api_key_get,
    membership_get,
    webhook_deliveries_recent,
    webhook_delivery_get,
    webhook_endpoint_get,
)
from apps.organizations.services import webhook_endpoint_create
from apps.organizations.tenancy import TenantQuerySet

pytestmark = pytest.mark.django_db


def _tenant_models():
    """Every model with a foreign key named `organization` to Organization (found, not listed by hand, so a
    new tenant model without the door fails here)."""
    for model in apps.get_models():
        field = next((f for f in model._meta.fields if f.name == "organization"), None)
        if field is not None and field.related_model is Organization:
            yield model


def test_every_tenant_model_is_reached_through_for_organization():
    found = list(_tenant_models())
    assert len(found) >= 10  # dossiers, scans (+ usage, idempotency), proposals, studio, devices (2), org (3)
    for model in [*found, WebhookDelivery]:
        assert isinstance(model._default_manager.all(), TenantQuerySet), model.__name__


def test_no_organization_reads_nothing(owner):
    for model in _tenant_models():
        assert not model._default_manager.for_organization(None).exists(), model.__name__


def _delivery(organization) -> WebhookDelivery:
    endpoint = webhook_endpoint_create(organization=organization, url="https://crm.example/h", events=[])
    return WebhookDelivery.objects.create(endpoint=endpoint, event_type="scan.completed", payload={})


def test_deliveries_belong_to_their_endpoints_organization(owner, outsider):
    mine, theirs = _delivery(owner.organization), _delivery(outsider.organization)
    assert list(WebhookDelivery.objects.for_organization(owner.organization)) == [mine]
    assert list(webhook_deliveries_recent(organization=outsider.organization)) == [theirs]
    with pytest.raises(NotFound):
        webhook_delivery_get(organization=owner.organization, delivery_id=theirs.pk)
    with pytest.raises(NotFound):
        webhook_endpoint_get(organization=owner.organization, endpoint_id=theirs.endpoint_id)


def test_another_organizations_member_and_key_are_not_found(owner, outsider):
    with pytest.raises(NotFound):
        membership_get(organization=owner.organization, membership_id=outsider.membership.pk)
    theirs = outsider.organization.api_keys.get()
    with pytest.raises(NotFound):
        api_key_get(organization=owner.organization, key_id=theirs.pk)
    assert (
        membership_get(organization=owner.organization, membership_id=owner.membership.pk) == owner.membership
    )
