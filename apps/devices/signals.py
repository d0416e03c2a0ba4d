"""Signals of the device sync, so other apps react to new readings without the sync knowing them.

``readings_synced`` (sender: DeviceLink; kwargs ``link``, ``dossier``): a sync of ``link`` completed, or an
Enode webhook delivery stored readings of it (``services.webhooks``), and the readings are stored. Sent
outside the sync's chunk transactions and the delivery's event transactions; receivers should queue work,
not do it.
"""

from django.dispatch import Signal

readings_synced = Signal()
