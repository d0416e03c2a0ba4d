"""Numbers in the installer's language on the scan form, and confirmation of implausible values."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.portal import scan_body, scan_form
from apps.scans import plausibility
from apps.scans.models import Scan
from tests.portal.helpers import scan_form_post as _form


@pytest.mark.parametrize(
    "language,typed,meant",
    [
        # Dutch: dot groups thousands, comma is the decimal sign.
        ("nl", "3.500", "3500"),
        ("nl", "12.500,5", "12500.5"),
        ("nl", "0,28", "0.28"),
        ("nl", "0.28", "0.28"),  # not a thousands group: kept as a decimal point
        ("nl", "0.025", "0.025"),  # a group never starts with 0
        ("nl", "3500", "3500"),
        # English: comma groups thousands, dot is the decimal sign.
        ("en", "3,500", "3500"),
        ("en", "3.500", "3.500"),
        ("en", "12,500.5", "12500.5"),
        ("en", "0.28", "0.28"),
    ],
)
def test_localised_number(language, typed, meant):
    assert scan_body.localised_number(typed, language) == meant


def _values(**changes):
    return scan_body.normalise_rows(_form(**changes))


def test_body_reads_numbers_in_the_active_language():
    with translation.override("nl"):
        body = scan_body.body_from_values(_values(yearlyKwh="3.500"))
    assert float(body["yearly_kwh"]) == 3500
    with translation.override("en"):
        body = scan_body.body_from_values(_values(yearlyKwh="3,500"))
    assert float(body["yearly_kwh"]) == 3500
    # Coordinates are never read as grouped thousands (a longitude of 4.895 stays 4.895).
    with translation.override("nl"):
        body = scan_body.body_from_values(_values(**{"location.lon": "4.895"}))
    assert float(body["location"]["lon"]) == pytest.approx(4.895)


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"yearlyKwh": "350"}, "yearlyKwh"),
        ({"yearlyKwh": "60000"}, "yearlyKwh"),
        ({"tariff.flatEurPerKwh": "28"}, "tariff.flatEurPerKwh"),
    ],
)
def test_implausible_values_are_named(changes, field):
    with translation.override("en"):
        found = plausibility.implausible(scan_body.body_from_values(_values(**changes)))
    assert list(found) == [field]
    assert "confirm" in found[field][0]


def test_plausible_values_pass():
    with translation.override("en"):
        assert plausibility.implausible(scan_body.body_from_values(_values())) == {}


@pytest.mark.django_db
def test_dutch_3500_is_3500_kwh(owner_client, owner, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(
            reverse("portal:scan_new", args=[dossier.pk]), _form(yearlyKwh="3.500"), HTTP_ACCEPT_LANGUAGE="nl"
        )
    assert response.status_code == 302
    assert Scan.objects.get(organization=owner.organization).inputs["yearly_kwh"] == 3500


@pytest.mark.django_db
def test_implausible_consumption_asks_for_confirmation(
    owner_client, owner, dossier, django_capture_on_commit_callbacks
):
    url = reverse("portal:scan_new", args=[dossier.pk])
    response = owner_client.post(url, _form(yearlyKwh="35"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Scan.objects.filter(organization=owner.organization).exists()
    body = response.content.decode()
    assert scan_form.CONFIRM_KEY in body and "unusual for a household" in body
    with django_capture_on_commit_callbacks(execute=False):
        response = owner_client.post(
            url, _form(yearlyKwh="35", **{scan_form.CONFIRM_KEY: "on"}), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 302
    assert Scan.objects.get(organization=owner.organization).inputs["yearly_kwh"] == 35


def test_the_quarter_hour_peak_factor_goes_with_the_capacity_tariff():
    # The form posts every input; the factor is kept only with the capacity tariff ticked (apps.scans.flow).
    with translation.override("nl"):
        on = scan_body.body_from_values(
            _values(**{"tariff.capacityTariff": "on", "tariff.capacityPeakFactor": "1,3"})
        )
        off = scan_body.body_from_values(_values(**{"tariff.capacityPeakFactor": "1,3"}))
    assert float(on["tariff"]["capacity_peak_factor"]) == pytest.approx(1.3)
    assert "capacity_peak_factor" not in off["tariff"]
    assert scan_form.CONDITIONS["tariff.capacityPeakFactor"] == "tariff.capacityTariff=on"  # shown then
