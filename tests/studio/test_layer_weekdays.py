"""Every studio layer follows the weekdays of the profile's own calendar: a Monday-Friday schedule draws
on the dates the chart and the CSV label as Monday-Friday (hour_labels), whatever the profile's year."""

from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

from apps.studio.charts import hour_labels
from apps.studio.layers import CUSTOM, EV, HEAT_PUMP, POOL, simulate_layer

WORKDAYS = [[day < 5] * 12 for day in range(7)]  # schedule[day][month], day 0 = Monday


def _weather():
    return SimpleNamespace(temp_air=np.full(8760, 8.0))


def _weekday_of_hours(year: int) -> np.ndarray:
    return np.array([date.fromisoformat(stamp[:10]).weekday() for stamp in hour_labels(year)])


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])  # years starting Mon, Wed, Thu, Fri
@pytest.mark.parametrize("kind", [EV, HEAT_PUMP, POOL, CUSTOM])
def test_workday_schedule_draws_on_labelled_workdays(kind, year):
    config = {"schedule": WORKDAYS, "hourly_kw": [1.0] * 24, "max_kw": 0}
    if kind == EV:
        # Arrive 18:00, leave 08:00; 12 kWh a day at 11 kW: sessions 18:00-19:59 on driving days only.
        config["ev_config"] = {"arrival_hour": 18, "departure_hour": 8, "daily_consumption_kwh": 12.0}
    data, _ = simulate_layer(kind, config, _weather, year=year)
    weekday = _weekday_of_hours(year)
    drawn = data > 1e-9
    assert drawn.any()
    # Saturdays (5) and Sundays (6) as labelled draw nothing; every labelled workday draws.
    assert not drawn[weekday >= 5].any(), sorted(set(weekday[drawn].tolist()))
    days_drawn = set(np.flatnonzero(drawn) // 24)
    workdays = {i for i in range(365) if weekday[i * 24] < 5}
    assert days_drawn == workdays
