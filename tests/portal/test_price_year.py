"""The scan form's price-year select: a built-in day-ahead year goes to the API's tariff.priceYear, "latest"
leaves it out (the country's newest year), and a year together with an own price file is refused on the
field, as the API refuses priceYear with dayAheadEurPerKwh."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.engine.reference_data import price_years
from apps.scans.models import Scan
from tests.portal.helpers import price_csv, scan_form_post

DYNAMIC = {"tariff.type": "dynamic", "tariff.flatEurPerKwh": None, "tariff.feedInEurPerKwh": None}


def _dynamic(**changes):
    data = scan_form_post(**DYNAMIC, **changes)
    data.pop("tariff.taxesIncluded")
    return data


@pytest.mark.django_db
def test_select_offers_the_built_in_years_in_dutch(owner_client, dossier):
    body = owner_client.get(reverse("portal:scan_new", args=[dossier.pk])).content.decode()
    assert "Prijsjaar" in body and "Laatst beschikbare jaar" in body
    select = re.search(r'<select[^>]*name="tariff.priceYear".*?</select>', body, re.S).group(0)
    for year in price_years("NL"):
        assert f'value="{year}"' in select
    assert re.search(r'value="latest"[^>]*selected', select)


@pytest.mark.django_db
@pytest.mark.parametrize(("posted", "saved"), [("2023", 2023), ("latest", None)])
def test_posted_year_reaches_the_scan_inputs(
    owner_client, owner, dossier, django_capture_on_commit_callbacks, posted, saved
):
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(
            reverse("portal:scan_new", args=[dossier.pk]), _dynamic(**{"tariff.priceYear": posted})
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    scan = Scan.objects.get(organization=owner.organization)
    assert scan.inputs["tariff"]["price_year"] == saved


@pytest.mark.django_db
def test_year_and_price_file_together_are_refused_on_the_field(owner_client, owner, dossier):
    upload = SimpleUploadedFile("prijzen.csv", price_csv([80.0] * 8760), content_type="text/csv")
    data = {
        **_dynamic(**{"tariff.priceYear": "2023"}),
        "_dayAheadUnit": "eur_per_mwh",
        "tariff.dayAheadFile": upload,
    }
    response = owner_client.post(reverse("portal:scan_new", args=[dossier.pk]), data)
    assert response.status_code == 400
    errors = re.search(r'id="f-tariff-priceYear-errors">(.*?)</ul>', response.content.decode(), re.S)
    assert errors and "priceYear" in errors.group(1)
    assert not Scan.objects.filter(organization=owner.organization).exists()


@pytest.mark.django_db
def test_year_missing_for_the_country_is_a_field_error(owner_client, owner, dossier):
    missing = max(price_years("NL")) + 1  # no country has a year after the newest built-in NL year
    response = owner_client.post(
        reverse("portal:scan_new", args=[dossier.pk]), _dynamic(**{"tariff.priceYear": str(missing)})
    )
    assert response.status_code == 400
    assert 'id="f-tariff-priceYear-errors"' in response.content.decode()
    assert not Scan.objects.filter(organization=owner.organization).exists()
