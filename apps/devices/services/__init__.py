"""Device-link writes, one module per job (the names below are the services' public entry points):

* ``linking``   — start, finish, restart, revoke and delete links;
* ``sync``      — queue and run syncs of readings, resumable in chunks;
* ``webhooks``  — apply the vendors' webhook deliveries;
* ``measured``  — the link's measured totals and the studio profile built from them;
* ``adapters``  — one adapter per vendor (Enode, Enphase, POD): the only place that knows which vendor does
  what; ``assets`` and ``errors`` are the pieces they share.
"""

from apps.devices.services.adapters import CONSUMPTION_UNAVAILABLE
from apps.devices.services.errors import DeviceLinkError, VendorFailure
from apps.devices.services.linking import (
    LinkStart,
    link_create,
    link_delete,
    link_enode_returned,
    link_enphase_callback,
    link_restart,
    link_revoke,
)
from apps.devices.services.measured import link_measured_flows, studio_profile_from_link, to_reference_year
from apps.devices.services.sync import SyncResult, link_request_sync, link_sync, links_queue_refresh
from apps.devices.services.webhooks import WebhookOutcome, enode_webhook_receive

__all__ = [
    "CONSUMPTION_UNAVAILABLE",
    "DeviceLinkError",
    "LinkStart",
    "SyncResult",
    "VendorFailure",
    "WebhookOutcome",
    "enode_webhook_receive",
    "link_create",
    "link_delete",
    "link_enode_returned",
    "link_enphase_callback",
    "link_measured_flows",
    "link_request_sync",
    "link_restart",
    "link_revoke",
    "link_sync",
    "links_queue_refresh",
    "studio_profile_from_link",
    "to_reference_year",
]
