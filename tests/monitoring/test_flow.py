"""End to end without the vendor: a fake inverter's readings stored as the sync stores them, the sync's
signal, the refresh job, the alert with its webhook and e-mail, and the clearing after recovery."""

import datetime as dt

import pandas as pd
import pytest
from django.core import mail

from apps.common.models import OutboxMessage
from apps.devices.models import DeviceLink
from apps.devices.signals import readings_synced
from apps.dossiers.services import dossier_create
from apps.monitoring import jobs, services
from apps.monitoring.models import MonthlyPerformance, PerformanceAlert
from apps.organizations.models import WebhookDelivery
from tests.monitoring.support import DE_BILT, ROOF, roof_expected, store_inverter_readings, typical_readings
from tests.scans.conftest import make_endpoint

UTC = dt.UTC
INSTALL = dt.date(2025, 3, 1)
FAULT = pd.Timestamp("2025-04-30 23:00", tz="UTC")  # 1 May 00:00 local standard time: a string lost, -20 %


@pytest.fixture
def dossier(owner):
    return dossier_create(
        organization=owner.organization,
        customer_name="Fam. de Vries",
        latitude=DE_BILT[0],
        longitude=DE_BILT[1],
    )


def _run_queued(actor_path: str) -> list[str]:
    """Run the queued jobs of one actor as the worker would (the test broker is a stub)."""
    keys = list(OutboxMessage.objects.filter(actor_path=actor_path).values_list("key", flat=True))
    OutboxMessage.objects.filter(actor_path=actor_path).delete()
    for key in keys:
        getattr(jobs, actor_path.rsplit(".", 1)[1]).fn(key)
    return keys


def test_fake_inverter_underperforming_by_20_percent(owner, dossier):
    endpoint = make_endpoint(owner.organization, events=["performance.alert"])
    services.installed_design_save(dossier=dossier, install_date=INSTALL, arrays=[ROOF])
    # the inverter's history from the installation through June 2025 (local standard time); the later
    # months have no readings, are "missing" and change nothing, so the test does not depend on today
    readings = typical_readings(
        roof_expected(),
        dt.datetime(2025, 2, 28, 23, tzinfo=UTC),
        dt.datetime(2025, 6, 30, 23, tzinfo=UTC),
        lambda h: 0.8 if h >= FAULT else 1.0,
    )
    link = store_inverter_readings(dossier, readings)

    readings_synced.send(sender=DeviceLink, link=link, dossier=dossier)  # as link_sync does after a sync
    assert _run_queued("apps.monitoring.jobs.refresh_performance") == [dossier.pk]

    months = {m.month: m for m in MonthlyPerformance.objects.filter(dossier=dossier)}
    assert months[dt.date(2025, 4, 1)].ratio == pytest.approx(1.0, rel=1e-6)
    assert months[dt.date(2025, 4, 1)].status == "ok"
    # May and June at 0.8: below the band's low edge (the weakest weather year gives ~0.9 of typical)
    assert months[dt.date(2025, 5, 1)].ratio == pytest.approx(0.8, rel=1e-6)
    assert months[dt.date(2025, 6, 1)].status == "low"
    alert = PerformanceAlert.objects.get(dossier=dossier, status="active")
    assert alert.since_month == dt.date(2025, 5, 1)
    assert alert.shortfall_pct == pytest.approx(20.0, rel=1e-4)  # 0.8 of typical in both months
    assert months[dt.date(2025, 8, 1)].status == "missing"

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event_type == "performance.alert"
    assert delivery.payload["data"]["status"] == "active"
    assert delivery.payload["data"]["sinceMonth"] == alert.since_month.strftime("%Y-%m")
    assert _run_queued("apps.monitoring.jobs.mail_alert") == [alert.pk]
    assert len(mail.outbox) == 1 and "owner@zon.test" in mail.outbox[0].to
    assert "20" in mail.outbox[0].body

    # the next sync brings nothing new: same figures, no second webhook or e-mail (idempotent)
    readings_synced.send(sender=DeviceLink, link=link, dossier=dossier)
    _run_queued("apps.monitoring.jobs.refresh_performance")
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    assert not OutboxMessage.objects.filter(actor_path="apps.monitoring.jobs.mail_alert").exists()
    assert PerformanceAlert.objects.filter(dossier=dossier).count() == 1


def test_recovery_clears_the_alert(owner, dossier):
    endpoint = make_endpoint(owner.organization)
    services.installed_design_save(dossier=dossier, install_date=INSTALL, arrays=[ROOF])
    expected = roof_expected()
    # low in May and June 2025, repaired from July
    repaired = pd.Timestamp("2025-06-30 23:00", tz="UTC")
    readings = typical_readings(
        expected,
        dt.datetime(2025, 2, 28, 23, tzinfo=UTC),
        dt.datetime(2025, 8, 15, tzinfo=UTC),
        lambda h: 0.8 if FAULT <= h < repaired else 1.0,
    )
    store_inverter_readings(dossier, readings)
    services.performance_refresh(dossier=dossier, now=dt.datetime(2025, 7, 10, tzinfo=UTC))
    alert = PerformanceAlert.objects.get(dossier=dossier)
    assert (alert.status, alert.since_month) == ("active", dt.date(2025, 5, 1))

    services.performance_refresh(dossier=dossier, now=dt.datetime(2025, 8, 10, tzinfo=UTC))
    alert.refresh_from_db()
    assert alert.status == "cleared" and alert.cleared_at is not None
    events = [
        d.payload["data"]["status"]
        for d in WebhookDelivery.objects.filter(endpoint=endpoint).order_by("created_at")
    ]
    assert events == ["active", "cleared"]


def test_a_sync_without_an_installed_design_queues_nothing(dossier):
    link = store_inverter_readings(dossier, pd.Series([1.0], index=pd.DatetimeIndex(["2025-06-01 12:00Z"])))
    readings_synced.send(sender=DeviceLink, link=link, dossier=dossier)
    assert not OutboxMessage.objects.filter(actor_path="apps.monitoring.jobs.refresh_performance").exists()
