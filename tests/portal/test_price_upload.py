"""Own day-ahead prices in the scan form: a CSV of 8760 hourly prices goes to the API's
tariff.dayAheadEurPerKwh; an unreadable file is a field error naming the rule, and nothing is saved."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from apps.portal.price_upload import PriceFileError, parse_price_csv
from apps.scans.models import Scan
from tests.portal.helpers import price_csv, scan_form_post

FIELD = "tariff.dayAheadFile"


def test_dutch_mwh_export_becomes_eur_per_kwh():
    # 45,31 €/MWh = 0.04531 €/kWh (÷ 1000); -3,5 €/MWh = -0.0035 €/kWh
    prices = parse_price_csv(price_csv([45.31, -3.5] * 4380), unit="eur_per_mwh")
    assert len(prices) == 8760
    assert prices[:2] == pytest.approx([0.04531, -0.0035])


def test_single_column_kwh_with_points():
    data = "\n".join(["0.1", "0.2"] * 4380).encode()
    assert parse_price_csv(data, unit="eur_per_kwh")[:2] == [0.1, 0.2]
    # A lone decimal comma is a decimal, not a column separator.
    assert parse_price_csv(price_csv([0.12] * 8760, header="", stamp=False), unit="eur_per_kwh")[0] == 0.12


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (price_csv([40.0] * 8784), "8784"),  # a leap year: 29 February must be left out
        (price_csv([40.0] * 100), "bevat er 100"),
        (b"prijs\n40\nveertig\n" + b"40\n" * 8758, "Regel 3"),
        (b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_unreadable_files_name_the_rule(data, words):
    with translation.override("nl"), pytest.raises(PriceFileError) as caught:
        parse_price_csv(data, unit="eur_per_mwh")
    assert words in str(caught.value)


@pytest.mark.django_db
def test_form_upload_reaches_the_scan_inputs(
    owner_client, owner, dossier, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("prijzen.csv", price_csv([80.0, 20.0] * 4380), content_type="text/csv")
    data = scan_form_post(
        **{"tariff.type": "dynamic", "tariff.flatEurPerKwh": None, "tariff.feedInEurPerKwh": None}
    )
    data.pop("tariff.taxesIncluded")
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(
            reverse("portal:scan_new", args=[dossier.pk]),
            {**data, "_dayAheadUnit": "eur_per_mwh", FIELD: upload},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    scan = Scan.objects.get(organization=owner.organization)
    # 80 and 20 €/MWh = 0.08 and 0.02 €/kWh
    assert scan.inputs["tariff"]["day_ahead_eur_per_kwh"][:2] == [0.08, 0.02]
    assert len(scan.inputs["tariff"]["day_ahead_eur_per_kwh"]) == 8760


@pytest.mark.django_db
def test_form_upload_errors_are_field_errors(owner_client, owner, dossier):
    short = SimpleUploadedFile("prijzen.csv", price_csv([80.0] * 24), content_type="text/csv")
    data = scan_form_post(
        **{"tariff.type": "dynamic", "tariff.flatEurPerKwh": None, "tariff.feedInEurPerKwh": None}
    )
    response = owner_client.post(
        reverse("portal:scan_new", args=[dossier.pk]), {**data, "_dayAheadUnit": "eur_per_mwh", FIELD: short}
    )
    assert response.status_code == 400
    body = response.content.decode()
    errors = re.search(r'id="f-tariff-dayAheadFile-errors">(.*?)</ul>', body).group(1)
    assert "8760" in errors and " 24" in errors
    # With the fixed-price contract a price file is refused by name.
    flat = SimpleUploadedFile("prijzen.csv", price_csv([80.0] * 8760), content_type="text/csv")
    response = owner_client.post(
        reverse("portal:scan_new", args=[dossier.pk]), {**scan_form_post(), FIELD: flat}
    )
    assert response.status_code == 400 and 'id="f-tariff-dayAheadFile-errors"' in response.content.decode()
    assert not Scan.objects.filter(organization=owner.organization).exists()


@pytest.mark.django_db
def test_group_error_links_to_its_inputs(owner_client, dossier):
    # The API says "location: required" for the whole group; the summary names the section, links to its
    # first input, and both inputs are marked.
    data = scan_form_post(**{"location.lat": None, "location.lon": None})
    body = owner_client.post(reverse("portal:scan_new", args=[dossier.pk]), data).content.decode()
    assert '<a href="#f-location-lat">Locatie</a>' in body
    assert 'id="f-location-lat-errors"' in body and 'id="f-location-lon-errors"' in body
