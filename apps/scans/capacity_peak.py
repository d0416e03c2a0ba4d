"""The Belgian capacity tariff's quarter-hour peak factor of a scan, and the tariff's figures in its report.

The engine bills ``factor`` x each month's highest hourly import (the grid operator bills the highest
quarter hour; ``apps.engine.defaults.BE_QUARTER_HOUR_PEAK_FACTOR``). Which factor, in this order:

* ``tariff.capacity_peak_factor`` given in the scan's body ("scan");
* else, for a studio scan whose profile was built from a 15-minute meter export, the household's own ratio
  measured from its quarter hours ("measured"; ``studio_link.studio_peak_factor``). It is looked up at
  submission (``services.scan_create``) and stored in the resolved inputs under ``KEY``, so a rerun bills
  the same factor even if the profile changes later;
* else the engine's default ("default").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.engine import capacity
from apps.engine import defaults as engine_defaults
from apps.engine.tariffs import peak_factor
from apps.engine.types import TariffInput

if TYPE_CHECKING:
    from apps.organizations.models import Organization

KEY = "capacity_peak"


def resolve(*, organization: Organization | None, inputs: dict) -> dict | None:
    """The stored measurement (snake_case, JSON) for a scan's resolved inputs, or None when the scan does not
    bill the capacity tariff, gives its own factor, or has no 15-minute meter profile."""
    from apps.scans.studio_link import studio_peak_factor  # reads; the rest of this module is pure

    tariff = inputs.get("tariff") or {}
    if (
        organization is None
        or not tariff.get("capacity_tariff")
        or tariff.get("capacity_peak_factor") is not None
        or inputs.get("input_method") != "studio"
    ):
        return None
    measured = studio_peak_factor(organization=organization, profile_id=inputs["custom_profile_id"])
    if measured is None:
        return None
    return {"factor": measured.factor, "months": measured.months, "profile_id": inputs["custom_profile_id"]}


def factor(inputs: dict) -> float | None:
    """The factor handed to the engine (``TariffInput.capacity_peak_factor``): given, else measured, else
    None (the engine's default)."""
    given = (inputs.get("tariff") or {}).get("capacity_peak_factor")
    if given is not None:
        return given
    return (inputs.get(KEY) or {}).get("factor")


def assumption(inputs: dict) -> dict:
    """The capacity tariff's figures for the report's assumptions ({} without the tariff): the peak factor
    used and where it comes from, the months it was measured over, the rate of year 1 [EUR/kW/yr excl. VAT]
    with the table year it comes from, and the table of known yearly rates (None for the scan's own rate)."""
    tariff = inputs.get("tariff") or {}
    if not tariff.get("capacity_tariff"):
        return {}
    given = tariff.get("capacity_peak_factor")
    source = "scan" if given is not None else "measured" if inputs.get(KEY) else "default"
    first_year = inputs.get("first_operating_year", engine_defaults.DEFAULT_FIRST_OPERATING_YEAR)
    own_rate = tariff.get("capacity_tariff_eur_per_kw_year")
    return {
        "capacityPeakFactor": peak_factor(TariffInput(capacity_peak_factor=factor(inputs))),
        "capacityPeakFactorSource": source,
        "capacityPeakFactorMonths": inputs[KEY]["months"] if source == "measured" else None,
        "capacityTariffEurPerKwYearExclVat": capacity.default_rate(first_year)
        if own_rate is None
        else own_rate,
        "capacityTariffRateSource": "scan" if own_rate is not None else "default",
        "capacityTariffRateYear": capacity.rate_year(first_year) if own_rate is None else None,
        "capacityTariffEurPerKwYearByYear": None
        if own_rate is not None
        else {str(y): v for y, v in engine_defaults.BE_CAPACITY_TARIFF_EUR_PER_KW_YEAR_BY_YEAR.items()},
    }
