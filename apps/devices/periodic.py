"""Queue syncs of linked devices not refreshed lately, every DEVICES_REFRESH_INTERVAL_S seconds per worker."""

from apps.common.periodic import Periodic


class PeriodicRefresh(Periodic):
    task = "apps.devices.jobs.queue_due_refreshes"
    interval_setting = "DEVICES_REFRESH_INTERVAL_S"
    default_interval_s = 3600.0
