"""New readings announce themselves with ``readings_synced`` (monitoring listens): after a completed sync and
after an Enode webhook delivery that stored readings; not for a replayed delivery."""

import datetime as dt

from apps.common.models import OutboxMessage
from apps.devices import services
from apps.devices.models import Reading
from apps.devices.signals import readings_synced
from apps.monitoring import services as monitoring
from tests.devices import support
from tests.devices.support import deliver, link_enode, statistics_delivery

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures
REFRESH = "apps.monitoring.jobs.refresh_performance"


class Received(list):
    """The (link, dossier) ids of each ``readings_synced`` sent while connected."""

    def __call__(self, sender, link, dossier, **kwargs):
        self.append((link.pk, dossier.pk))

    def __enter__(self):
        readings_synced.connect(self)
        return self

    def __exit__(self, *exc):
        readings_synced.disconnect(self)


def test_sync_sends_readings_synced_once(owner, dossier, vendor_fakes):
    with Received() as received:
        link_id = link_enode(owner.key_client(), dossier)
        assert services.link_sync(link_id=link_id).status == "ok"
    assert received == [(link_id, dossier.pk)]


def test_webhook_readings_send_readings_synced_once_per_delivery(owner, dossier, vendor_fakes):
    link_id = link_enode(owner.key_client(), dossier)
    body, headers = statistics_delivery(vendor_fakes, link_id)
    with Received() as received:
        assert deliver(body, headers).json()["processed"] == 1
    assert Reading.objects.filter(link_id=link_id).exists()
    assert received == [(link_id, dossier.pk)]
    with Received() as replayed:
        assert deliver(body, headers).json()["duplicates"] == 1
    assert replayed == []  # nothing new was stored


def test_webhook_readings_queue_the_monitoring_refresh(owner, dossier, vendor_fakes):
    # Issue 21: the dossier's monthly figures are recomputed after readings arrive by webhook, as after a sync.
    design = {
        "panel_count": 10,
        "panel_power_watts": 400.0,
        "tilt_deg": 35.0,
        "azimuth_deg": 180.0,
        "losses_pct": 14.0,
    }
    monitoring.installed_design_save(dossier=dossier, install_date=dt.date(2025, 3, 1), arrays=[design])
    link_id = link_enode(owner.key_client(), dossier)
    OutboxMessage.objects.filter(actor_path=REFRESH).delete()  # what linking queued, if anything
    deliver(*statistics_delivery(vendor_fakes, link_id))
    assert list(OutboxMessage.objects.filter(actor_path=REFRESH).values_list("key", flat=True)) == [
        dossier.pk
    ]
