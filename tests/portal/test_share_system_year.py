"""The homeowner's share page shows "your system this year" once the shared scan's dossier has an installed
design with monitoring figures (issue 21): months, produced against the expected range, in plain words."""

import datetime as dt
import re
from types import SimpleNamespace

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse

from apps.monitoring import services as monitoring
from apps.monitoring.homeowner import homeowner_months
from apps.scans import services
from tests.monitoring.support import ROOF, roof_expected, store_inverter_readings, typical_readings

pytestmark = pytest.mark.django_db

INSTALL = dt.date(2025, 3, 1)
FAULT = pd.Timestamp("2025-04-30 23:00", tz="UTC")  # 1 May 00:00 local standard time: 20 % lost from then
NOW = dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC)
JARGON = ("ratio", "coverage", "kWp", "band", "dekking", "verhouding")


@pytest.fixture
def measured_dossier(dossier):
    """The portal's dossier (Utrecht) with a 4 kWp roof installed on 1 March 2025 whose inverter produced the
    typical year until April and 80 % of it from May; figures as of 15 July 2025."""
    monitoring.installed_design_save(dossier=dossier, install_date=INSTALL, arrays=[ROOF])
    readings = typical_readings(
        roof_expected(),
        dt.datetime(2025, 2, 28, 23, tzinfo=dt.UTC),
        dt.datetime(2025, 7, 15, 0, tzinfo=dt.UTC),
        lambda h: 0.8 if h >= FAULT else 1.0,
    )
    store_inverter_readings(dossier, readings)
    monitoring.performance_refresh(dossier=dossier, now=NOW)
    return dossier


def _section(body: str) -> str:
    match = re.search(r"<section[^>]*data-system-year>.*?</section>", body, re.S)
    assert match, "no 'your system this year' section"
    return match.group(0)


def _text(html: str) -> str:
    """What the homeowner reads: the section without its tags."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_section_says_month_by_month_how_the_system_did(measured_dossier, completed_scan):
    token = services.scan_share(scan=completed_scan).share_token
    body = Client().get(reverse("portal:share", args=[token]) + "?lang=en").content.decode()
    section = _section(body)
    verdicts = dict(re.findall(r'data-month="(\d{4}-\d\d)" data-verdict="(\w+)"', section))
    # The readings are the typical hours (= the band's middle) until April, 80 % of them from May (below the
    # band's low edge, as tests/monitoring/test_flow.py finds), and July is still running on 15 July.
    assert verdicts == {
        "2025-03": "as_expected",
        "2025-04": "as_expected",
        "2025-05": "below",
        "2025-06": "below",
        "2025-07": "running",
    }
    assert "Your system this year" in section and "Less than expected" in section and "As expected" in section
    # Since installation: March and April at 100 %, May and June at 80 %, weighed by their expectations.
    assert re.search(
        r"Since installation your panels produced (8[5-9]|9[0-5]) % of what we expected", section
    )
    assert not any(word in _text(section) for word in JARGON)
    assert "<table" not in section  # one column of months, readable on a 390 px phone
    assert 'name="viewport" content="width=device-width' in body


def test_the_section_in_dutch(measured_dossier, completed_scan):
    token = services.scan_share(scan=completed_scan).share_token
    section = _section(Client().get(reverse("portal:share", args=[token]) + "?lang=nl").content.decode())
    assert "Uw installatie dit jaar" in section and "Minder dan verwacht" in section
    assert "Your system" not in section and not any(word in _text(section) for word in JARGON)


def test_no_section_without_an_installed_design(completed_scan):
    token = services.scan_share(scan=completed_scan).share_token
    assert "data-system-year" not in Client().get(reverse("portal:share", args=[token])).content.decode()


def _month(status, actual, low=80.0, typical=100.0, high=120.0, share=1.0):
    return SimpleNamespace(
        month=dt.date(2025, 6, 1),
        status=status,
        actual_kwh=actual,
        expected_low_kwh=low,
        expected_kwh=typical,
        expected_high_kwh=high,
        covered_share=share,
    )


def test_months_in_plain_verdicts_against_the_range_of_the_hours_with_readings():
    year = homeowner_months(
        [
            _month("ok", 130.0),  # above the high edge 120
            _month("ok", 100.0),
            _month("low", 70.0),
            _month("missing", 20.0, share=0.2),
            _month("ok", 55.0, share=0.5),  # half the hours measured: range 40-60, so as expected
        ]
    )
    assert [m.verdict for m in year.months] == ["above", "as_expected", "below", "no_data", "as_expected"]
    half = year.months[-1]
    assert (half.expected_low_kwh, half.expected_high_kwh) == (40.0, 60.0)
    # The bars share one scale, the largest of the ranges' tops and the productions: 130 kWh = 100 %.
    assert year.months[0].produced_pct == 100.0 and half.band_from_pct == pytest.approx(100 * 40 / 130)
    # Judged months only (ok/low): (130 + 100 + 70 + 55) / (100 + 100 + 100 + 50) = 355 / 350 → 101 %.
    assert year.percent_of_expected == 101
