"""A user in several organizations switches between them in the portal; the switch is refused for an
organization they are not in, and a single-organization user sees no switcher."""

import pytest
from django.urls import reverse

from apps.dossiers.services import dossier_create
from apps.organizations.models import Membership
from apps.organizations.services import membership_add

pytestmark = pytest.mark.django_db


def test_switch_between_two_organizations(owner, outsider, owner_client):
    membership_add(organization=outsider.organization, email=owner.user.email, role=Membership.Role.MEMBER)
    dossier_create(organization=owner.organization, customer_name="Klant van A")
    dossier_create(organization=outsider.organization, customer_name="Klant van B")

    first = owner_client.get(reverse("portal:dossier_index"))
    assert [d.customer_name for d in first.context["page"].object_list] == ["Klant van A"]
    assert "data-org-switch" in first.content.decode()

    response = owner_client.post(
        reverse("portal:switch_organization"), {"organization": outsider.organization.pk}
    )
    assert response.status_code == 302
    second = owner_client.get(reverse("portal:dossier_index"))
    assert [d.customer_name for d in second.context["page"].object_list] == ["Klant van B"]
    assert second.context["request"].membership.role == Membership.Role.MEMBER


def test_switch_to_a_foreign_organization_is_404(owner, outsider, owner_client):
    response = owner_client.post(
        reverse("portal:switch_organization"), {"organization": outsider.organization.pk}
    )
    assert response.status_code == 404
    page = owner_client.get(reverse("portal:dossier_index"))
    assert page.context["request"].organization == owner.organization
    assert "data-org-switch" not in page.content.decode()  # one organization: no switcher


def test_a_removed_membership_falls_back_to_the_first_organization(owner, outsider, owner_client):
    extra = membership_add(organization=outsider.organization, email=owner.user.email)
    owner_client.post(reverse("portal:switch_organization"), {"organization": outsider.organization.pk})
    extra.delete()
    page = owner_client.get(reverse("portal:dossier_index"))
    assert page.context["request"].organization == owner.organization
