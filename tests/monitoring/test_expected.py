"""The expected band comes from the engine's PV model on the measured weather years."""

import numpy as np
import pytest

from apps.engine.reference_data import de_bilt_year, weather_years
from apps.engine.timebase import monthly_sum
from apps.monitoring.expected import InstalledArray, degradation_factor, expected_years
from tests.monitoring.support import DE_BILT

JULY = 7


def test_flat_roof_july_matches_hand_calculation_from_the_knmi_file():
    """A horizontal 4 kWp array at De Bilt sees the station's own global irradiance, so the month can be
    checked against the packaged KNMI file without the engine's transposition.

    Hand calculation: E = kWp × H × PR, with H the measured July irradiation [kWh/m2] (sum of the hourly
    W/m2 / 1000; 2021-2024 mean ≈ 159 kWh/m2) and PR = (1 − 0.14 system losses) × 0.96 inverter ×
    0.975 temperature (cells ~7 K above 25 °C × 0.37 %/K) × 0.96 glass reflection at the low sun of a
    flat plane ≈ 0.773. So E ≈ 4 × 159 × 0.773 ≈ 491 kWh; the engine may differ by a few per cent."""
    array = InstalledArray(panel_count=10, panel_power_watts=400.0, tilt=0.0, azimuth=180.0, losses_pct=14.0)
    expected = expected_years((array,), *DE_BILT)
    irradiation = [monthly_sum(de_bilt_year(year)["ghi"])[JULY - 1] / 1000.0 for year in weather_years()]
    low, typical, high = expected.band(JULY, operating_year=1)
    assert typical == pytest.approx(4.0 * np.mean(irradiation) * 0.773, rel=0.03)
    # the band is the spread of the years: the dullest and the sunniest July
    assert low == pytest.approx(4.0 * min(irradiation) * 0.773, rel=0.03)
    assert high == pytest.approx(4.0 * max(irradiation) * 0.773, rel=0.03)
    assert low < typical < high


def test_band_is_min_mean_max_of_the_years_and_degrades_per_operating_year():
    array = InstalledArray(panel_count=12, panel_power_watts=430.0, tilt=35.0, azimuth=200.0)
    expected = expected_years((array,), *DE_BILT)
    per_year = expected.monthly[:, JULY - 1]
    assert expected.band(JULY, 1) == pytest.approx((per_year.min(), per_year.mean(), per_year.max()))
    # third operating year: two years of 0.5 %/yr (defaults.PV_DEGRADATION_PER_YEAR) → × 0.995² = 0.990025
    assert degradation_factor(3) == pytest.approx(0.990025)
    assert expected.band(JULY, 3)[1] == pytest.approx(per_year.mean() * 0.990025)
    # the weather of a measured July itself, when the month falls in a measured year
    assert expected.of_year(2022, JULY, 1) == pytest.approx(per_year[weather_years().index(2022)])
    assert expected.of_year(2026, JULY, 1) is None


def test_two_arrays_add_up():
    east = InstalledArray(8, 400.0, 30.0, 90.0)
    west = InstalledArray(8, 400.0, 30.0, 270.0)
    both = expected_years((east, west), *DE_BILT).monthly
    alone = expected_years((east,), *DE_BILT).monthly + expected_years((west,), *DE_BILT).monthly
    assert both == pytest.approx(alone)


def test_the_computations_run_without_django():
    """expected / figures / rules are pure like the engine: usable from a notebook or a benchmark."""
    import subprocess
    import sys

    code = (
        "import sys, apps.monitoring.expected, apps.monitoring.figures, apps.monitoring.rules;"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
