"""After a device sync: queue a refresh of the dossier's monthly figures (only when something is installed).

The refresh runs as its own job, so a monitoring failure never fails a sync and the sync job stays short."""

from django.db import transaction
from django.dispatch import receiver

from apps.common.outbox import outbox_enqueue
from apps.devices.signals import readings_synced
from apps.monitoring.models import InstalledDesign


@receiver(readings_synced, dispatch_uid="monitoring.refresh_after_sync")
def refresh_after_sync(sender, link, dossier, **kwargs) -> None:
    if InstalledDesign.objects.filter(dossier=dossier).exists():
        with transaction.atomic():
            outbox_enqueue("apps.monitoring.jobs.refresh_performance", dossier.pk)
