"""Fail scans stuck in processing/running, every SCAN_SWEEP_INTERVAL_S seconds in each worker process."""

from apps.common.periodic import Periodic


class PeriodicSweep(Periodic):
    task = "apps.scans.services.scans_sweep_stuck"
    interval_setting = "SCAN_SWEEP_INTERVAL_S"
    default_interval_s = 300.0
