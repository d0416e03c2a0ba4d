"""Pure parsers on recorded bodies (tests/devices/bodies/, written from the vendor documents'
example shapes). Every expected value is worked out by hand from the body, in the comment beside it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest

from apps.devices.clients import AssetFact, VendorResponseError
from apps.devices.clients.enode import (
    _parse_asset,
    _parse_hem_statistics,
    _parse_inverter_statistics,
    _parse_link_session,
    _parse_page,
    parse_webhook_events,
)
from apps.devices.clients.enphase import (
    _parse_consumption_lifetime,
    _parse_consumption_stats,
    _parse_energy_lifetime,
    _parse_stats,
    _parse_summary,
    _parse_system,
    _parse_systems_page,
    enphase_rate_limit,
)
from apps.devices.clients.pod import (
    _parse_consumption,
    _parse_distribution,
    _parse_habits,
    _parse_latest,
    _parse_performance,
    _parse_realtime,
    _parse_register,
    _parse_trend,
    _read_stamps,
)
from apps.devices.clients.series import as_arrays

BODIES = Path(__file__).parent / "bodies"


def body(name: str):
    return json.loads((BODIES / name).read_text())


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# ------------------------------------------------------------------------------------------ Enode


def test_enode_page_and_inverter_facts():
    items, after = _parse_page(body("enode_inverters_page.json"))
    assert after == "9a1d7c2e-0c1f-4a51-9d55-7a0f1f0b6e01"  # pagination.after
    first, second = (_parse_asset("inverter", i) for i in items)
    assert first == AssetFact(
        kind="inverter",
        vendor="enode",
        vendor_id="4c4003bf-b2c0-55bb-86aa-3f6b96bd3674",
        name="Zonnepanelen Utrecht",  # information.siteName
        brand="SolarEdge",
        model="SE3680H",
        hem_system_id="5c49eb85-f61b-5ec4-ae63-55f6970581fc",
    )
    assert first.extra["lifetime_production_kwh"] == 10211.4
    assert (first.extra["latitude"], first.extra["longitude"]) == (52.09, 5.12)
    assert second.name == "Fronius Primo 3.0-1"  # no siteName: brand + model
    assert second.capacity_kw is None  # the document gives no inverter rating: never guessed
    assert "latitude" not in second.extra  # null location


def test_enode_battery_capacity():
    items, after = _parse_page(body("enode_batteries_page.json"))
    assert after is None
    fact = _parse_asset("battery", items[0])
    assert fact.capacity_kwh == 13.5  # chargeState.batteryCapacity [kWh]
    assert fact.name == "Powerwall garage"
    assert fact.kind == "battery" and fact.hem_system_id is None


def test_enode_inverter_statistics_quarter_hours_to_hourly_utc():
    series = _parse_inverter_statistics(body("enode_inverter_statistics_day.json"))
    # 10:00+02:00 = 08:00Z. 08Z: 0.21+0.25+0.30+0.24 = 1.00; 09Z: 0.40+null+0.35+0.05 = 0.80;
    # 10Z: both buckets null -> NaN (missing, not zero)
    assert list(series.index) == [utc("2024-05-05 08:00"), utc("2024-05-05 09:00"), utc("2024-05-05 10:00")]
    assert series.iloc[0] == pytest.approx(1.00)
    assert series.iloc[1] == pytest.approx(0.80)
    assert np.isnan(series.iloc[2])
    assert str(series.index.tz) == "UTC" and series.name == "kwh"
    stamps, values = as_arrays(series)
    assert stamps[0] == np.datetime64("2024-05-05T08:00:00") and values[1] == pytest.approx(0.8)


def test_enode_hem_statistics_power_and_energy_buckets():
    out = _parse_hem_statistics(body("enode_hem_statistics_day.json"))
    assert set(out) == {"generation", "consumption", "batteryLevel"}  # gridImport isAvailable=false
    gen = out["generation"]
    # PT15M buckets are average kW: 10Z = (2.0 + 2.4 + 1.6) kW x 0.25 h = 1.5 kWh (null left out);
    # 11Z = 0.8 kW x 0.25 h = 0.2 kWh
    assert gen[utc("2025-05-05 10:00")] == pytest.approx(1.5)
    assert gen[utc("2025-05-05 11:00")] == pytest.approx(0.2)
    cons = out["consumption"]  # PT1H buckets are energy [kWh] as given
    assert cons.tolist() == pytest.approx([0.65, 0.4])
    assert out["batteryLevel"][utc("2025-05-05 10:00")] == pytest.approx(55.0)  # mean of 40, 50, 60, 70 %


def test_enode_link_session_and_malformed():
    session = _parse_link_session(body("enode_link_session.json"))
    assert session.link_url.startswith("https://link.sandbox.enode.io/")
    assert session.link_token.endswith(".link")
    with pytest.raises(VendorResponseError, match="linkUrl"):
        _parse_link_session(body("enode_problem_400.json"))


def test_enode_webhook_events():
    raw = (BODIES / "enode_webhook_delivery.json").read_bytes()
    stats, discovered, test = parse_webhook_events(raw)
    assert stats.event == "user:inverter:statistics-updated"
    assert (stats.asset_kind, stats.action) == ("inverter", "statistics-updated")
    assert stats.user_id == "17d9f847-8a1c-4158-adaa-4911a7acd5f9"
    assert stats.asset.vendor_id == "4c4003bf-b2c0-55bb-86aa-3f6b96bd3674"
    assert stats.statistics_kwh.to_dict() == {utc("2024-05-05 12:00"): pytest.approx(1.0)}  # 0.5 + 0.5
    assert stats.created_at == utc("2024-05-05 12:20:11")
    assert discovered.asset.kind == "battery" and discovered.asset.capacity_kwh is None  # nulls at discovery
    assert test.asset_kind is None and test.asset is None  # enode:webhook:test
    with pytest.raises(VendorResponseError):
        parse_webhook_events(b"not json")


# ---------------------------------------------------------------------------------------- Enphase


def test_enphase_stats_interval_end_labels():
    series = _parse_stats(body("enphase_stats.json"))
    # end_at 1381496400 = 2013-10-11 13:00Z, so that interval is 12:55-13:00 -> hour 12Z: 14 Wh.
    # The next four (13:00-13:20) -> hour 13Z: 22 + 26 + 32 + 40 = 120 Wh.
    assert series.to_dict() == {
        utc("2013-10-11 12:00"): pytest.approx(0.014),
        utc("2013-10-11 13:00"): pytest.approx(0.120),
    }


def test_enphase_consumption_stats():
    series = _parse_consumption_stats(body("enphase_consumption_stats.json"))
    # 1448946900 = 2015-12-01 05:15Z ends the 05:00-05:15 interval. Hour 05Z: 0+0+2+2 = 4 Wh; 06Z: 3 Wh.
    assert series.to_dict() == {
        utc("2015-12-01 05:00"): pytest.approx(0.004),
        utc("2015-12-01 06:00"): pytest.approx(0.003),
    }


def test_enphase_daily_series():
    prod = _parse_energy_lifetime(body("enphase_energy_lifetime.json"))
    assert prod.index[0] == dt.date(2013, 1, 1) and prod.index[-1] == dt.date(2013, 1, 6)
    assert prod.iloc[0] == pytest.approx(15.422)
    assert prod.sum() == pytest.approx(103.464)  # 15422+15421+17118+18505+18511+18487 = 103464 Wh
    cons = _parse_consumption_lifetime(body("enphase_consumption_lifetime.json"))
    assert cons.index[0] == dt.date(2016, 8, 1) and len(cons) == 6


def test_enphase_summary_and_systems():
    summary = _parse_summary(body("enphase_summary.json"))
    assert summary.size_kw == pytest.approx(5.25)  # size_w 5250
    assert summary.energy_lifetime_kwh == pytest.approx(19050.353)
    assert summary.energy_today_kwh == pytest.approx(25.639)
    assert summary.current_power_kw == pytest.approx(3.322)
    assert summary.summary_date == dt.date(2014, 1, 6)
    systems, nxt = _parse_systems_page(body("enphase_systems.json"))
    assert nxt == "4e7a453d0a" and len(systems) == 2
    fact = _parse_system(systems[0], summary)
    assert (fact.kind, fact.vendor_id, fact.name, fact.capacity_kw) == (
        "inverter",
        "67",
        "Sample Residence 1",
        5.25,
    )
    assert _parse_system(systems[1]).extra["status"] == "comm"  # meta.status


def test_enphase_409_usage_limit_wait():
    response = httpx.Response(409, json=body("enphase_conflict_409.json"))
    # period_end 1401742500 - now 1401742450 = 50 s, plus 1 s margin
    assert enphase_rate_limit(response, 1401742450.0) == pytest.approx(51.0)
    assert enphase_rate_limit(httpx.Response(429, headers={"Retry-After": "7"}), 0) == 7.0
    assert enphase_rate_limit(httpx.Response(422, json={}), 0) is None


# -------------------------------------------------------------------------------------------- POD


def test_pod_consumption_watts_per_minute_to_hourly_kwh():
    frame = _parse_consumption(body("pod_consumption.json"))
    # "2025-21-07" is year-day-month (no month 21): 21 July 2025, 00:00Z. One-minute samples of
    # power: fridge (150 + 600) W x 1/60 h = 12.5 Wh; washing machine (82 + 550) / 60 = 10.533 Wh.
    assert list(frame.index) == [utc("2025-07-21 00:00")]
    assert frame.loc[utc("2025-07-21 00:00"), "fridge"] == pytest.approx(0.0125)
    assert frame.loc[utc("2025-07-21 00:00"), "washingMachine"] == pytest.approx(632 / 60 / 1000)
    latest = _parse_latest(body("pod_latest.json"))
    assert latest.to_dict() == {utc("2025-07-21 00:00"): pytest.approx(0.0125)}


def test_pod_ambiguous_dates_resolved_against_now():
    # "2025-05-03": 3 May (ISO) or 5 March (year-day-month). Asked on 6 March, May is in the future.
    stamps = ["2025-05-03T00:00:00Z", "2025-05-03T00:01:00Z"]
    assert _read_stamps(stamps, now=dt.datetime(2025, 3, 6, tzinfo=dt.UTC))[0] == utc("2025-03-05")
    assert _read_stamps(stamps, now=dt.datetime(2025, 5, 4, tzinfo=dt.UTC))[0] == utc("2025-05-03")
    assert _read_stamps(stamps)[0] == utc("2025-05-03")  # no reference: ISO
    assert _read_stamps(["2025-06-21T00:00:00Z"])[0] == utc("2025-06-21")
    with pytest.raises(VendorResponseError):
        _read_stamps(["2025-13-13T00:00:00Z"])  # neither reading is a date


def test_pod_distribution_trend_habits_performance_realtime_register():
    dist = _parse_distribution(body("pod_distribution.json"))
    assert dist["appliances_kwh"] == {"fridge": 1.2, "oven": 0.9, "smallAppliances": 1.1}
    assert dist["selected_period_kwh"] == 0.0
    trend = _parse_trend(body("pod_trend.json"))
    assert trend.loc[1, "total"] == pytest.approx(128.598)  # 33924 + 35251 + 59423 Wh
    assert trend.loc[12, "f3"] == pytest.approx(52.034)
    grid = _parse_habits(body("pod_habits.json"))  # the document's "..." elisions are skipped
    assert grid.shape == (7, 24)
    assert grid[0, 0] == pytest.approx(0.2) and grid[0, 3] == pytest.approx(1.23)
    assert grid[2, 4] == pytest.approx(0.659) and grid[6, 23] == pytest.approx(1.173)
    assert np.count_nonzero(~np.isnan(grid)) == 10  # 4 + 3 + 3 listed cells
    perf = _parse_performance(body("pod_performance.json"))
    assert perf == {"min_kwh": 0.01, "max_kwh": 0.13, "user_kwh": pytest.approx(0.07361)}
    assert _parse_realtime(body("pod_realtime.json")) == pytest.approx(0.532)  # 532 W
    assert _parse_register(body("pod_register.json"))["account_number"] == "1234567890"
    with pytest.raises(VendorResponseError, match="data"):
        _parse_realtime({"status": 500})
