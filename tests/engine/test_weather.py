"""Weather providers: offline synthetic year against KNMI climatology, determinism, and the PVGIS path
on a body in PVGIS's documented JSON TMY shape (no network)."""

from __future__ import annotations

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine import weather as w
from apps.engine.timebase import HOURS, hourly_index, monthly_sum

DE_BILT = (52.09, 5.12)


@pytest.fixture(scope="module")
def de_bilt() -> w.Weather:
    return w.OfflineWeather().get(*DE_BILT)


def test_time_base_is_a_non_leap_standard_time_year():
    index = hourly_index()
    assert len(index) == HOURS == 8760
    assert str(index[0]) == f"{d.REFERENCE_YEAR}-01-01 00:00:00+01:00"
    assert str(index[-1]) == f"{d.REFERENCE_YEAR}-12-31 23:00:00+01:00"
    assert set(index.strftime("%z")) == {"+0100"}  # no DST shift


def test_time_base_helpers():
    from apps.engine import timebase as tb

    # Calendar facts of 2025: January has 744 hours, February 672; 1 January 2025 is a Wednesday.
    counts = np.bincount(tb.month_of_hour(), minlength=13)[1:]
    assert counts[0] == 744 and counts[1] == 672 and counts.sum() == HOURS
    assert tb.weekday()[0] == 2 and tb.day_of_year()[-1] == 365 and tb.hour_of_day()[25] == 1
    assert tb.days_in_month().tolist() == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert tb.daily_sum(np.ones(HOURS)).tolist() == [24.0] * 365
    assert tb.monthly_sum(np.ones(HOURS)).tolist() == (counts * 1.0).tolist()
    with pytest.raises(ValueError):
        tb.month_of_hour()[0] = 5  # cached arrays are read-only


def test_monthly_irradiation_follows_knmi_de_bilt_normals(de_bilt):
    # Expected: KNMI 1991-2020 De Bilt normals (defaults.MONTHLY_GHI_KWH_M2); the cloud model is
    # calibrated to them, so each month must be within 5 % (the grid cell is not exactly the station).
    monthly = monthly_sum(de_bilt.ghi) / 1000.0
    np.testing.assert_allclose(monthly, d.MONTHLY_GHI_KWH_M2, rtol=0.05)
    # KNMI De Bilt yearly normal ~1040-1080 kWh/m2.
    assert 1000.0 <= de_bilt.ghi_kwh_m2 <= 1100.0


@pytest.mark.parametrize("location", [(53.22, 6.57), (51.44, 5.48), (50.85, 4.35), (51.05, 3.72)])
def test_other_dutch_and_belgian_locations_have_plausible_yearly_irradiation(location):
    # Published yearly GHI for NL/BE lies around 950-1150 kWh/m2 (KNMI, KMI/IRM, PVGIS maps).
    weather = w.OfflineWeather().get(*location)
    assert 950.0 <= weather.ghi_kwh_m2 <= 1150.0


def test_day_to_day_variability_is_realistic(de_bilt):
    # Dutch summer days range from overcast (~1.5 kWh/m2) to clear (~8 kWh/m2): KNMI daily records.
    daily = de_bilt.ghi.reshape(365, 24).sum(axis=1) / 1000.0
    june = daily[151:181]
    assert june.min() < 2.5 and june.max() > 7.0
    assert 0.25 < june.std() / june.mean() < 0.6
    # Day-to-day persistence of weather regimes: positive lag-1 correlation of daily clearness.
    clear = np.asarray(w.clear_sky(de_bilt.latitude, de_bilt.longitude, de_bilt.altitude)["ghi"])
    index = daily / (clear.reshape(365, 24).sum(axis=1) / 1000.0)
    lag1 = np.corrcoef(index[:-1], index[1:])[0, 1]
    assert 0.1 < lag1 < 0.6


def test_components_close_and_are_physical(de_bilt):
    # Closure GHI = DHI + DNI·cos(zenith) is how DHI is derived (pvlib Erbs split), so it holds exactly.
    geometry = w.solar_geometry(de_bilt.latitude, de_bilt.longitude, de_bilt.altitude)
    cos_z = np.clip(np.cos(np.radians(geometry.zenith)), 0.0, None)
    np.testing.assert_allclose(de_bilt.dhi + de_bilt.dni * cos_z, de_bilt.ghi, atol=1e-6)
    assert de_bilt.ghi.min() >= 0 and de_bilt.dni.min() >= 0 and de_bilt.dhi.min() >= 0
    assert np.all(de_bilt.ghi[geometry.apparent_zenith > 90.0] == 0.0)
    # Diffuse share of Dutch irradiation is roughly half (KNMI/Cabauw BSRN: ~50-60 %).
    assert 0.45 < de_bilt.dhi.sum() / de_bilt.ghi.sum() < 0.65


def test_temperature_and_wind_climatology(de_bilt):
    # KNMI De Bilt 1991-2020: annual mean ~10.5 °C, January ~3.6 °C, July ~18.3 °C; wind ~3.5 m/s.
    months = monthly_sum(de_bilt.temp_air) / (np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24)
    assert 9.5 < de_bilt.temp_air.mean() < 11.5
    assert abs(months[0] - 3.6) < 2.5 and abs(months[6] - 18.3) < 2.5
    assert 2.5 < de_bilt.wind_speed.mean() < 4.5


def test_offline_weather_is_deterministic_per_rounded_location(de_bilt):
    w.clear_memo()
    again = w.OfflineWeather().get(52.091, 5.119)  # same 0.1° cell
    assert again is not de_bilt
    for name in ("ghi", "dni", "dhi", "temp_air", "wind_speed"):
        assert np.array_equal(getattr(again, name), getattr(de_bilt, name))
    other = w.OfflineWeather().get(52.37, 4.90)
    assert not np.array_equal(other.ghi, de_bilt.ghi)
    assert w.OfflineWeather().get(*DE_BILT) is w.OfflineWeather().get(*DE_BILT)  # memoised
    assert de_bilt.source == "offline"


def test_weather_arrays_are_read_only(de_bilt):
    with pytest.raises(ValueError):
        de_bilt.ghi[0] = 1.0


def test_weather_rejects_bad_arrays():
    good = np.zeros(HOURS)
    with pytest.raises(ValueError):
        w.Weather(good[:10], good, good, good, good, 52.0, 5.0, "offline")
    bad = good.copy()
    bad[3] = np.nan
    with pytest.raises(ValueError):
        w.Weather(good, good, bad, good, good, 52.0, 5.0, "offline")


def test_location_validation_and_keys():
    assert w.weather_key("pvgis", 52.0949, 5.1049) == "pvgis:52.1:5.1"
    with pytest.raises(ValueError):
        w.OfflineWeather().get(95.0, 5.0)
    with pytest.raises(ValueError):
        w.get_provider("satellite")


# --- PVGIS --------------------------------------------------------------------------------------------

# Months of a TMY come from different years; February 2016 is a leap month (its 29th must be dropped).
MONTH_YEARS = [2012, 2016, 2009, 2018, 2007, 2011, 2015, 2013, 2020, 2010, 2017, 2014]


def _code(month: int, day: int, hour: int) -> float:
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
                        "T2m": _code(month, day, hour),
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


@pytest.fixture(scope="module")
def body() -> dict:
    return pvgis_tmy_body()


def test_parse_pvgis_tmy_maps_onto_the_time_base(body):
    assert len(body["outputs"]["tmy_hourly"]) == 8784  # includes Feb 29 of 2016
    weather = w.parse_pvgis_tmy(body, 52.1, 5.1)
    assert weather.source == "pvgis" and weather.altitude == 4.0
    assert weather.temp_air.shape == (HOURS,)
    # UTC → UTC+1: local step 1 (01:00+01) is Jan 1 00:10 UTC; step 0 wraps to Dec 31 23:10 UTC.
    assert weather.temp_air[1] == _code(1, 1, 0)
    assert weather.temp_air[0] == _code(12, 31, 23)
    # March 1 00:10 UTC lands on local step 59 days * 24 + 1: Feb 29 was dropped, not shifted in.
    assert weather.temp_air[59 * 24 + 1] == _code(3, 1, 0)
    assert not np.any(np.isclose(weather.temp_air, _code(2, 29, 12)))
    # Everything else is carried through unchanged (only moved).
    ghi = np.array([row["G(h)"] for row in body["outputs"]["tmy_hourly"] if row["time(UTC)"][4:8] != "0229"])
    assert weather.ghi.sum() == pytest.approx(ghi.sum())
    assert weather.wind_speed.mean() == pytest.approx(3.0)


def test_parse_pvgis_tmy_without_meta_block(body):
    lean = {"inputs": body["inputs"], "outputs": body["outputs"]}
    weather = w.parse_pvgis_tmy(lean, 52.1, 5.1)
    assert weather.temp_air[1] == _code(1, 1, 0)


class DictCache:
    def __init__(self) -> None:
        self.data: dict[str, dict] = {}

    def get(self, key: str) -> dict | None:
        return self.data.get(key)

    def set(self, key: str, value: dict) -> None:
        self.data[key] = value


def test_pvgis_provider_fetches_once_then_uses_cache_and_memo(body):
    w.clear_memo()
    calls: list[tuple[float, float]] = []

    def fetcher(lat: float, lon: float) -> dict:
        calls.append((lat, lon))
        return body

    cache = DictCache()
    provider = w.PvgisWeather(cache=cache, fetcher=fetcher)
    first = provider.get(52.093, 5.118)
    assert calls == [(52.1, 5.1)]  # requested at the rounded location
    assert list(cache.data) == ["pvgis:52.1:5.1"]
    assert provider.get(52.1, 5.1) is first  # in-process memo
    assert calls == [(52.1, 5.1)]

    w.clear_memo()

    def offline(lat: float, lon: float) -> dict:
        raise AssertionError("network must not be used when the cache has the location")

    from_cache = w.PvgisWeather(cache=cache, fetcher=offline).get(52.1, 5.1)
    np.testing.assert_allclose(from_cache.ghi, first.ghi, atol=0.05)  # payload rounds to 0.1
    assert from_cache.source == "pvgis"
    w.clear_memo()


def test_offline_provider_never_uses_the_network(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("network")

    monkeypatch.setattr(w, "fetch_pvgis_tmy_json", boom)
    assert w.get_provider("offline").get(52.0, 5.0).source == "offline"


def test_fetch_reports_pvgis_errors_and_returns_the_body(monkeypatch, body):
    import httpx

    def reply(status: int, payload: dict):
        def get(url, params=None, timeout=None):
            assert url.endswith("/tmy") and params["outputformat"] == "json"
            return httpx.Response(status, json=payload, request=httpx.Request("GET", url))

        return get

    monkeypatch.setattr(
        httpx, "get", reply(400, {"message": "Location over the sea. Please, select another location"})
    )
    with pytest.raises(RuntimeError, match="over the sea"):
        w.fetch_pvgis_tmy_json(53.5, 3.0)
    monkeypatch.setattr(httpx, "get", reply(200, body))
    assert w.fetch_pvgis_tmy_json(52.1, 5.1)["outputs"]["months_selected"][1]["year"] == 2016
