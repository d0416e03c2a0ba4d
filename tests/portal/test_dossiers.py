"""Dossiers in the portal: search, pagination, create, edit, delete, all through the dossier services."""

import pytest
from django.urls import reverse

from apps.dossiers.models import Dossier
from apps.dossiers.services import dossier_create

pytestmark = pytest.mark.django_db


def test_search_and_pagination(owner_client, owner, outsider):
    for n in range(23):
        dossier_create(organization=owner.organization, customer_name=f"Klant {n:02d}", address="Utrecht")
    dossier_create(
        organization=owner.organization, customer_name="Fam. Peeters", address="Meir 50, Antwerpen"
    )
    dossier_create(organization=outsider.organization, customer_name="Peeters van de buren")
    page1 = owner_client.get(reverse("portal:dossier_index"))
    assert len(page1.context["page"].object_list) == 20
    assert page1.context["page"].paginator.count == 24
    page2 = owner_client.get(reverse("portal:dossier_index"), {"page": 2})
    assert len(page2.context["page"].object_list) == 4
    found = owner_client.get(reverse("portal:dossier_index"), {"q": "antwerpen"})
    names = [d.customer_name for d in found.context["page"].object_list]
    assert names == ["Fam. Peeters"]


def test_create_edit_delete(owner_client, owner):
    response = owner_client.post(
        reverse("portal:dossier_new"),
        {
            "customer_name": "J. Jansen",
            "reference": "ZC-9",
            "address": "Prinsengracht 263",
            "latitude": "52.37",
            "longitude": "4.88",
            "notes": "",
        },
    )
    dossier = Dossier.objects.get(organization=owner.organization, customer_name="J. Jansen")
    assert response["Location"] == reverse("portal:dossier_detail", args=[dossier.pk])

    url = reverse("portal:dossier_edit", args=[dossier.pk])
    response = owner_client.post(
        url, {"customer_name": "Jan Jansen", "latitude": "52.37", "longitude": "4.88"}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.customer_name == "Jan Jansen" and dossier.reference == ""

    assert owner_client.post(reverse("portal:dossier_delete", args=[dossier.pk])).status_code == 302
    assert not Dossier.objects.filter(pk=dossier.pk).exists()


def test_errors_are_shown_next_to_the_fields(owner_client, dossier):
    url = reverse("portal:dossier_edit", args=[dossier.pk])
    response = owner_client.post(url, {"customer_name": "", "latitude": "123", "longitude": "5"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_customer_name_errors"' in body and 'id="id_latitude_errors"' in body
    assert 'aria-describedby="id_latitude_help id_latitude_errors"' in body
    dossier.refresh_from_db()
    assert dossier.customer_name == "Familie de Vries"


def test_latitude_without_longitude_is_refused(owner_client):
    response = owner_client.post(reverse("portal:dossier_new"), {"customer_name": "X", "latitude": "52"})
    assert response.status_code == 200
    assert "longitude" in response.context["form"].errors


def test_member_can_work_on_dossiers(member_client, dossier):
    assert member_client.get(reverse("portal:dossier_detail", args=[dossier.pk])).status_code == 200
    url = reverse("portal:dossier_edit", args=[dossier.pk])
    assert member_client.post(url, {"customer_name": "Fam. de Vries"}).status_code == 302


def test_dossier_from_a_postcode_without_coordinates(owner_client, owner):
    response = owner_client.post(
        reverse("portal:dossier_new"),
        {"customer_name": "Fam. Visser", "postcode": "1011 ab", "house_number": "7", "country": "NL"},
    )
    dossier = Dossier.objects.get(organization=owner.organization, customer_name="Fam. Visser")
    assert response["Location"] == reverse("portal:dossier_detail", args=[dossier.pk])
    # GeoNames 1011 Amsterdam: 52.371, 4.9042 (../shared/data/geo/geonames_postal_codes_NL.txt)
    assert (dossier.latitude, dossier.longitude, dossier.location_accuracy) == (52.371, 4.9042, "postcode")
    detail = owner_client.get(reverse("portal:dossier_detail", args=[dossier.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    assert 'data-accuracy="postcode"' in detail.content.decode()


def test_unknown_postcode_is_a_field_error_linked_from_the_summary(owner_client, owner):
    response = owner_client.post(
        reverse("portal:dossier_new"), {"customer_name": "Fam. Visser", "postcode": "1009"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert '<a href="#id_postcode">' in body  # the summary links to the field
    assert 'id="id_postcode_errors"' in body and 'aria-invalid="true"' in body
    assert not Dossier.objects.filter(customer_name="Fam. Visser").exists()
