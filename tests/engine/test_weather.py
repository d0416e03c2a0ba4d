"""Weather providers: offline measured KNMI years (time base, decomposition, carrying to other places), determinism, and the PVGIS path
on a body in PVGIS's documented JSON TMY shape (no network)."""

from __future__ import annotations

import numpy as np
import pytest

from apps.engine import defaults as d
from apps.engine import weather as w
from apps.engine.timebase import HOURS, hourly_index
from tests.engine.pvgis_bodies import code, pvgis_tmy_body

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
    counts = np.bincount(tb.month_number(), minlength=13)[1:]
    assert counts[0] == 744 and counts[1] == 672 and counts.sum() == HOURS
    assert tb.weekday()[0] == 2 and tb.day_of_year()[-1] == 365 and tb.hour_of_day()[25] == 1
    assert tb.days_in_month().tolist() == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert tb.daily_sum(np.ones(HOURS)).tolist() == [24.0] * 365
    assert tb.monthly_sum(np.ones(HOURS)).tolist() == (counts * 1.0).tolist()
    with pytest.raises(ValueError):
        tb.month_number()[0] = 5  # cached arrays are read-only


# KNMI De Bilt yearly global irradiation per year [kWh/m2] (shared/data/SOURCES.md, from the KNMI file).
KNMI_YEARLY_GHI = {2021: 1032.0, 2022: 1195.0, 2023: 1096.0, 2024: 1040.0}


@pytest.mark.parametrize("year", sorted(KNMI_YEARLY_GHI))
def test_offline_weather_at_de_bilt_is_the_knmi_measurement(year):
    weather = w.OfflineWeather(year).get(*DE_BILT)
    assert weather.year == year and weather.source == "offline"
    # Carried from the station to its own 0.1° cell the yearly sum is kept within 1 % (clear-sky index
    # capped at CLEAR_SKY_INDEX_MAX; the cell centre is 0.02° east of the station).
    assert weather.ghi_kwh_m2 == pytest.approx(KNMI_YEARLY_GHI[year], rel=0.01)


def test_default_year_is_the_measured_year_nearest_the_four_year_mean():
    # Mean of the KNMI years = 1090.75 kWh/m2; 2023 (1096) is the nearest.
    mean = sum(KNMI_YEARLY_GHI.values()) / 4
    nearest = min(KNMI_YEARLY_GHI, key=lambda y: abs(KNMI_YEARLY_GHI[y] - mean))
    assert d.DEFAULT_WEATHER_YEAR == nearest == 2023
    assert w.OfflineWeather().year == 2023
    with pytest.raises(ValueError, match="no measured weather for 2019"):
        w.OfflineWeather(2019)


def test_solar_noon_of_measured_ghi_is_at_12_40_local_standard_time(de_bilt):
    # At 5.18° E the sun culminates 5.18 x 4 min = 21 min before 12:00 UTC, i.e. 12:39 UTC+1, give or take
    # the equation of time (-14..+16 min, which averages out over the year). The GHI-weighted centre of
    # the day (hour centres h+0.5) therefore lies at 12.65 h ± 0.1 h; a UTC/local mix-up moves it ±1 h.
    hours = np.arange(24) + 0.5
    profile = de_bilt.ghi.reshape(365, 24).sum(axis=0)
    centre = float(profile @ hours / profile.sum())
    assert centre == pytest.approx(12.65, abs=0.1)


def test_station_hours_land_on_the_right_time_base_steps():
    from apps.engine import reference_data as r

    frame = r.knmi_de_bilt_hourly()
    year = r.de_bilt_year(2022)
    # Step 12 of 2022 is 12:00-13:00 UTC+1 on 1 January = 11:00 UTC (KNMI HH=12).
    assert year["ghi"][12] == frame.loc["2022-01-01T11:00Z", "ghi"]
    # Step 0 of 2022 is 23:00 UTC on 31 December 2021.
    assert year["temp_air"][0] == frame.loc["2021-12-31T23:00Z", "temp_air"]
    # 2024 is a leap year: 29 February is left out, so step 59 x 24 is 1 March 00:00 UTC+1.
    leap = r.de_bilt_year(2024)
    assert leap["temp_air"][59 * 24] == frame.loc["2024-02-29T23:00Z", "temp_air"]
    assert len(leap["ghi"]) == HOURS


@pytest.mark.parametrize("location", [(53.22, 6.57), (51.44, 5.48), (50.85, 4.35), (51.05, 3.72)])
def test_other_dutch_and_belgian_locations_have_plausible_yearly_irradiation(location):
    # Published yearly GHI for NL/BE lies around 950-1150 kWh/m2 in an average year (KNMI, KMI/IRM, PVGIS
    # maps); 2023 was ~5 % above the De Bilt normal, so allow up to 1,200.
    weather = w.OfflineWeather().get(*location)
    assert 980.0 <= weather.ghi_kwh_m2 <= 1200.0


def test_clouds_are_carried_hour_by_hour_to_other_locations(de_bilt):
    gent = w.OfflineWeather().get(51.05, 3.72)
    # The same measured cloudiness: daily irradiation at Gent and De Bilt move together.
    a = de_bilt.ghi.reshape(365, 24).sum(axis=1)
    b = gent.ghi.reshape(365, 24).sum(axis=1)
    assert np.corrcoef(a, b)[0, 1] > 0.98
    # ...under Gent's own sun: 1.46° further west, its sun rises ~6 minutes later, so the GHI-weighted
    # centre of the day moves later by 1.46 x 4 min = 0.097 h.
    hours = np.arange(24) + 0.5
    centre = lambda x: float(x.reshape(365, 24).sum(axis=0) @ hours / x.sum())  # noqa: E731
    assert centre(gent.ghi) - centre(de_bilt.ghi) == pytest.approx(0.097, abs=0.03)


def test_components_close_and_are_physical(de_bilt):
    # Closure GHI = DHI + DNI·cos(zenith) is how DHI is derived after DIRINT, so it holds exactly.
    geometry = w.solar_geometry(de_bilt.latitude, de_bilt.longitude, de_bilt.altitude)
    cos_z = np.clip(np.cos(np.radians(geometry.zenith)), 0.0, None)
    np.testing.assert_allclose(de_bilt.dhi + de_bilt.dni * cos_z, de_bilt.ghi, atol=1e-6)
    assert de_bilt.ghi.min() >= 0 and de_bilt.dni.min() >= 0 and de_bilt.dhi.min() >= 0
    # Diffuse share of Dutch irradiation is roughly half (KNMI/Cabauw BSRN: ~50-60 %).
    assert 0.45 < de_bilt.dhi.sum() / de_bilt.ghi.sum() < 0.65


def test_temperature_and_wind_are_measured(de_bilt):
    from apps.engine import reference_data as r

    # Passed through unchanged from the KNMI file: De Bilt 2023 was the warmest year on record at the
    # time (KNMI: 11.8 °C), wind ~3.5 m/s.
    np.testing.assert_array_equal(de_bilt.temp_air, r.de_bilt_year(2023)["temp_air"])
    assert de_bilt.temp_air.mean() == pytest.approx(11.8, abs=0.1)
    assert 3.0 < de_bilt.wind_speed.mean() < 4.0


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


@pytest.fixture(scope="module")
def body() -> dict:
    return pvgis_tmy_body()


def test_parse_pvgis_tmy_maps_onto_the_time_base(body):
    assert len(body["outputs"]["tmy_hourly"]) == 8784  # includes Feb 29 of 2016
    weather = w.parse_pvgis_tmy(body, 52.1, 5.1)
    assert weather.source == "pvgis" and weather.altitude == 4.0
    assert weather.temp_air.shape == (HOURS,)
    # UTC → UTC+1: local step 1 (01:00+01) is Jan 1 00:10 UTC; step 0 wraps to Dec 31 23:10 UTC.
    assert weather.temp_air[1] == code(1, 1, 0)
    assert weather.temp_air[0] == code(12, 31, 23)
    # March 1 00:10 UTC lands on local step 59 days * 24 + 1: Feb 29 was dropped, not shifted in.
    assert weather.temp_air[59 * 24 + 1] == code(3, 1, 0)
    assert not np.any(np.isclose(weather.temp_air, code(2, 29, 12)))
    # Everything else is carried through unchanged (only moved).
    ghi = np.array([row["G(h)"] for row in body["outputs"]["tmy_hourly"] if row["time(UTC)"][4:8] != "0229"])
    assert weather.ghi.sum() == pytest.approx(ghi.sum())
    assert weather.wind_speed.mean() == pytest.approx(3.0)


def test_parse_pvgis_tmy_without_meta_block(body):
    lean = {"inputs": body["inputs"], "outputs": body["outputs"]}
    weather = w.parse_pvgis_tmy(lean, 52.1, 5.1)
    assert weather.temp_air[1] == code(1, 1, 0)


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
