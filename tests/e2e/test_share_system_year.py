"""Browser check of issue 21's homeowner section: "your system this year" on a 390 px phone in Dutch (every
month inside the screen, nothing cut off sideways, no English leftovers)."""

import datetime as dt

import pandas as pd
import pytest

from tests.e2e.test_homeowner_pages import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_installed_scan(transactional_db):
    from apps.dossiers.services import dossier_create
    from apps.engine.api import run_scan
    from apps.monitoring import services as monitoring
    from apps.organizations.services import organization_create
    from apps.scans import services
    from apps.scans.engine_inputs import build_engine_inputs
    from tests.monitoring.support import ROOF, roof_expected, store_inverter_readings, typical_readings
    from tests.scans.conftest import SEED_BODY, complete_scan, resolved_inputs

    organization = organization_create(
        name="Zon Noord", owner_email="i21@zonnoord.test", owner_password="pw-e2e-i21", plan="paid"
    )
    dossier = dossier_create(
        organization=organization, customer_name="Fam. Peeters", latitude=52.09, longitude=5.12
    )
    monitoring.installed_design_save(dossier=dossier, install_date=dt.date(2025, 3, 1), arrays=[ROOF])
    fault = pd.Timestamp("2025-04-30 23:00", tz="UTC")
    readings = typical_readings(
        roof_expected(),
        dt.datetime(2025, 2, 28, 23, tzinfo=dt.UTC),
        dt.datetime(2026, 2, 15, 0, tzinfo=dt.UTC),
        lambda h: 0.8 if h >= fault else 1.0,
    )
    store_inverter_readings(dossier, readings)
    monitoring.performance_refresh(dossier=dossier, now=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))
    scan = complete_scan(
        organization, run_scan(build_engine_inputs(resolved_inputs(SEED_BODY))), dossier=dossier
    )
    return services.scan_share(scan=scan)


def test_phone_share_page_system_year(live_server, shared_installed_scan, browser, artifacts):
    from tests.portal.helpers import english_leftovers

    phone = browser.new_context(**PHONE, locale="nl-NL")
    page = phone.new_page()
    page.goto(f"{live_server.url}/s/{shared_installed_scan.share_token}")
    section = page.locator("[data-system-year]")
    section.screenshot(path=str(artifacts / "share-phone-21-system-year.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 392  # nothing cut off sideways
    boxes = section.locator(".system-year-month").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return {l: r.left, r: r.right}; })"
    )
    assert len(boxes) == 12  # March 2025 (installation) to February 2026 (running)
    assert all(box["l"] >= 0 and box["r"] <= 390 for box in boxes), boxes
    text = section.inner_text()
    assert "Uw installatie dit jaar" in text and "Minder dan verwacht" in text
    assert english_leftovers(text) == []
    phone.close()
