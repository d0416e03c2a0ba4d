"""Household templates: four base profiles on the engine's time base [kWh per hour].

Every template starts from the standard residential shape the engine uses for scans —
``apps.engine.load.standard_shape()``, the BDEW H25 profile (demandlib) of the reference year, which
already carries workday/Saturday/Sunday days and its seasonal dynamisation — and reshapes it for who
lives there:

* workday daytime (08–17): lower when everyone is out (alleenstaand), higher with home working and
  children (thuiswerkers-kinderen);
* morning and evening peaks: stronger for a large family;
* seasonal lighting/indoor load: ``1 + a·cos(2π(doy − 15)/365)`` (peak mid-January) on the evening hours
  (and for the large family on all hours), with an amplitude ``a`` per household.

The reshaped series is normalised and multiplied by the template's annual consumption, so the yearly
total is exactly ``annual_kwh`` (or the caller's override).

Annual kWh: "stel" 3200 and "alleenstaand" 2500 are the values of the API contract's examples
(studio-profiles seed); the two larger households follow the usual Dutch rise of about 600–1000 kWh per
extra person (Milieu Centraal "gemiddeld energieverbruik" orders of magnitude), rounded — assumptions.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from apps.engine.load import standard_shape
from apps.engine.timebase import day_of_year, hour_of_day, weekday

TEMPLATES: dict[str, dict] = {
    "alleenstaand": {
        "id": "alleenstaand",
        "label": "Alleenstaand",
        "description": "Eenpersoonshuishouden, overdag van huis, 's avonds thuis",
        "annual_kwh": 2500,
        "icon": "User",
    },
    "stel": {
        "id": "stel",
        "label": "Stel",
        "description": "Tweepersoonshuishouden, standaard verbruik",
        "annual_kwh": 3200,
        "icon": "Users",
    },
    "thuiswerkers-kinderen": {
        "id": "thuiswerkers-kinderen",
        "label": "Thuiswerkers met kinderen",
        "description": "Gezin met thuiswerkende ouders: hoger verbruik overdag op werkdagen",
        "annual_kwh": 4500,
        "icon": "Laptop",
    },
    "groot-gezin": {
        "id": "groot-gezin",
        "label": "Groot gezin",
        "description": "Vijf of meer personen: sterke ochtend- en avondpieken, meer in de winter",
        "annual_kwh": 5500,
        "icon": "Home",
    },
}


def _hours(start: int, end: int) -> np.ndarray:
    """Mask of the hours of day in [start, end)."""
    hod = hour_of_day()
    return (hod >= start) & (hod < end)


@lru_cache(maxsize=8)
def template_shape(template_id: str) -> np.ndarray:
    """The template's hourly shape, summing to 1 [-] (read-only)."""
    if template_id not in TEMPLATES:
        raise KeyError(template_id)
    shape = np.array(standard_shape(), dtype=float)
    workday = weekday() < 5
    weekend = ~workday
    season = np.cos(2 * np.pi * (day_of_year().astype(float) - 15) / 365)
    evening = _hours(17, 23)
    factor = np.ones_like(shape)
    if template_id == "alleenstaand":
        factor[workday & _hours(8, 17)] *= 0.55
        factor[workday & _hours(18, 24)] *= 1.15
        factor[evening] *= 1 + 0.10 * season[evening]
    elif template_id == "stel":
        factor[workday & _hours(9, 16)] *= 0.85
        factor[evening] *= 1 + 0.08 * season[evening]
    elif template_id == "thuiswerkers-kinderen":
        day = workday & _hours(8, 17)
        factor[day] *= 1.5 * (1 + 0.10 * season[day])
        factor[workday & _hours(15, 18)] *= 1.15
        factor[evening] *= 1 + 0.12 * season[evening]
    elif template_id == "groot-gezin":
        factor[_hours(6, 9)] *= 1.35
        factor[_hours(17, 21)] *= 1.3
        factor[weekend & _hours(9, 20)] *= 1.2
        factor *= 1 + 0.15 * season
    shaped = shape * factor
    out = shaped / shaped.sum()
    out.flags.writeable = False
    return out


def template_profile(template_id: str, annual_kwh: float | None = None) -> np.ndarray:
    """Hourly consumption of a template [kWh], summing to ``annual_kwh`` (default: the template's)."""
    kwh = TEMPLATES[template_id]["annual_kwh"] if annual_kwh is None else float(annual_kwh)
    return template_shape(template_id) * kwh
