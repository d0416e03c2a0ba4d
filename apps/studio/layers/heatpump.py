"""Heat pump layer driven by outdoor temperature (heating degree hours).

Model: an air-source heat pump's electrical draw follows the house's heat loss, which is proportional
to how far the outdoor air is below the heating base temperature. For hour h with outdoor temperature
T_h [°C]:

    kW_h = hourly_kw[hour of day] × max(T_BASE − T_h, 0) / (T_BASE − T_DESIGN)      (capped at max_kw)

so ``hourly_kw`` is the electrical draw at the design temperature for each hour of the day (a lower value
at night models a thermostat setback), and the draw falls linearly to zero at T_BASE. Hours where the
schedule is off draw nothing. Cold hours draw more: January gets several times July's energy (July has
almost no heating degree hours in the Dutch climate) and the hourly draw correlates with coldness.

Temperatures come from the engine's weather provider for the profile's location (offline by default).
"""

from __future__ import annotations

import numpy as np

from apps.studio.layers.common import cap, pattern, schedule_mask

# Heating base temperature [°C]: below it a Dutch home needs space heating. 15.5 °C is the base of the
# UK/Eurostat-style heating-degree-day convention (Eurostat uses 15 °C for "heating threshold"); chosen
# as an assumption between the two.
T_BASE_C = 15.5
# Design outdoor temperature [°C] for sizing heating in the Netherlands (NEN-EN 12831 national annex: −10 °C).
T_DESIGN_C = -10.0


def heating_degree_hours(temp_air: np.ndarray) -> np.ndarray:
    """max(T_BASE − T, 0) per hour [K·h]."""
    return np.maximum(T_BASE_C - np.asarray(temp_air, dtype=float), 0.0)


def simulate_heat_pump(
    *,
    temp_air: np.ndarray,
    hourly_kw: list[float],
    schedule: list[list[bool]],
    max_kw: float = 0,
    year: int | None = None,
) -> np.ndarray:
    """Hourly electrical energy of the heat pump [kWh] (see module docstring)."""
    load_fraction = heating_degree_hours(temp_air) / (T_BASE_C - T_DESIGN_C)
    return cap(pattern(hourly_kw) * load_fraction * schedule_mask(schedule, year), max_kw)
