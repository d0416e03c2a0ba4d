"""apps.scans.flow: the inputs of the choice not taken are left out (the portal's form posts them all), the
chosen ones kept; the serializer uses the same lists to refuse them in an API body."""

from apps.scans.api.serializers import TariffSerializer
from apps.scans.flow import CAPACITY_ONLY, DYNAMIC_ONLY, FLAT_ONLY, without_other_choices


def test_a_flat_known_body_loses_the_dynamic_and_studio_inputs():
    body = {
        "input_method": "known",
        "yearly_kwh": 3500,
        "custom_profile_id": "p-1",
        "tariff": {"type": "flat", "flat_eur_per_kwh": 0.28, "price_year": 2024, "taxes_included": True},
    }
    assert without_other_choices(body) == {
        "input_method": "known",
        "yearly_kwh": 3500,
        "tariff": {"type": "flat", "flat_eur_per_kwh": 0.28, "taxes_included": True},
    }


def test_a_dynamic_studio_body_loses_the_flat_and_known_inputs():
    body = {
        "input_method": "studio",
        "yearly_kwh": 3500,
        "load_profile": "standard",
        "custom_profile_id": "p-1",
        "tariff": {"type": "dynamic", "flat_eur_per_kwh": 0.28, "price_year": 2024},
    }
    assert without_other_choices(body) == {
        "input_method": "studio",
        "custom_profile_id": "p-1",
        "tariff": {"type": "dynamic", "price_year": 2024},
    }


def test_an_unknown_choice_keeps_everything_for_the_serializer_to_name():
    body = {"input_method": "guess", "yearly_kwh": 1, "tariff": {"type": "fixed", "price_year": 2024}}
    assert without_other_choices(body) == body


def test_the_capacity_peak_factor_goes_with_the_capacity_tariff():
    tariff = {"type": "flat", "flat_eur_per_kwh": 0.3, "capacity_peak_factor": 1.3}
    body = {"input_method": "known", "tariff": {**tariff, "capacity_tariff": False}}
    assert "capacity_peak_factor" not in without_other_choices(body)["tariff"]
    kept = {"input_method": "known", "tariff": {**tariff, "capacity_tariff": True}}
    assert without_other_choices(kept) == kept


def test_the_serializer_refuses_by_the_same_lists():
    assert TariffSerializer.FLAT_ONLY == FLAT_ONLY and TariffSerializer.DYNAMIC_ONLY == DYNAMIC_ONLY
    assert TariffSerializer.CAPACITY_ONLY == CAPACITY_ONLY
