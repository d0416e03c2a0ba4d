"""A completed sync announces itself with ``readings_synced`` (monitoring listens); a failed one does not."""

from apps.devices import services
from apps.devices.signals import readings_synced
from tests.devices import support
from tests.devices.support import link_enode

vendor_fakes, dossier = support.vendor_fakes, support.dossier  # fixtures


def test_sync_sends_readings_synced_once(owner, dossier, vendor_fakes):
    received = []

    def receiver(sender, link, dossier, **kwargs):
        received.append((link.pk, dossier.pk))

    readings_synced.connect(receiver)
    try:
        link_id = link_enode(owner.key_client(), dossier)
        assert services.link_sync(link_id=link_id).status == "ok"
    finally:
        readings_synced.disconnect(receiver)
    assert received == [(link_id, dossier.pk)]
