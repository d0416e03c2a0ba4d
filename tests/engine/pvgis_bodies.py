"""A PVGIS TMY body in the documented JSON shape, shared by the weather and PV tests."""

import numpy as np

# Months of a TMY come from different years; February 2016 is a leap month (its 29th must be dropped).
MONTH_YEARS = [2012, 2016, 2009, 2018, 2007, 2011, 2015, 2013, 2020, 2010, 2017, 2014]


def code(month: int, day: int, hour: int) -> float:
    """A value that identifies its UTC month/day/hour, carried in T2m to track where rows land."""
    return month * 100.0 + day + hour / 100.0


def pvgis_tmy_body() -> dict:
    """A body in PVGIS 5.x's documented JSON TMY output shape (inputs/outputs/meta; ``tmy_hourly`` rows
    keyed ``time(UTC)`` 'YYYYMMDD:HHMM', T2m, RH, G(h), Gb(n), Gd(h), IR(h), WS10m, WD10m, SP)."""
    import calendar

    rows = []
    for month, year in enumerate(MONTH_YEARS, start=1):
        for day in range(1, calendar.monthrange(year, month)[1] + 1):
            for hour in range(24):
                sun = max(0.0, np.sin(np.pi * (hour - 5) / 14.0)) * (0.5 + 0.5 * np.sin(np.pi * month / 12.0))
                rows.append(
                    {
                        "time(UTC)": f"{year}{month:02d}{day:02d}:{hour:02d}10",
                        "T2m": code(month, day, hour),
                        "RH": 80.0,
                        "G(h)": round(600.0 * sun, 2),
                        "Gb(n)": round(400.0 * sun, 2),
                        "Gd(h)": round(250.0 * sun, 2),
                        "IR(h)": 300.0,
                        "WS10m": 3.0,
                        "WD10m": 220.0,
                        "SP": 101300.0,
                    }
                )
    return {
        "inputs": {
            "location": {"latitude": 52.1, "longitude": 5.1, "elevation": 4.0},
            "meteo_data": {
                "radiation_db": "PVGIS-SARAH3",
                "meteo_db": "ERA5",
                "year_min": 2005,
                "year_max": 2023,
                "use_horizon": True,
                "horizon_db": "DEM-calculated",
            },
        },
        "outputs": {
            "months_selected": [{"month": m, "year": y} for m, y in enumerate(MONTH_YEARS, start=1)],
            "tmy_hourly": rows,
        },
        "meta": {
            "inputs": {"location": {"description": "Selected location"}},
            "outputs": {"tmy_hourly": {"type": "time series", "timestamp": "hourly"}},
        },
    }
