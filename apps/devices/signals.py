"""Signals of the device sync, so other apps react to new readings without the sync knowing them.

``readings_synced`` (sender: DeviceLink; kwargs ``link``, ``dossier``): a sync of ``link`` completed and
its readings are stored. Sent outside the sync's chunk transactions; receivers should queue work, not do it.
"""

from django.dispatch import Signal

readings_synced = Signal()
