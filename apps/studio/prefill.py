"""A linked vehicle → the studio's electric-car layer: the rule, in the studio that owns the layer.

The vehicle's facts arrive as plain numbers (the studio does not know the device links; apps.devices and
the callers read them), so the portal's "fill from the linked vehicle" and the API's scan prefill give the
same layer."""

from __future__ import annotations


def ev_config_from_vehicle(*, capacity_kwh: float | None, charger_kw: float | None) -> dict:
    """The EV layer config a linked vehicle states: its battery capacity [kWh] and, when a linked charger
    states one, the charging power [kW]. Empty when the vendor states neither (nothing to fill); the
    layer's own validation judges the numbers like typed ones."""
    stated = {"battery_kwh": capacity_kwh, "charger_power_kw": charger_kw}
    return {key: value for key, value in stated.items() if value is not None}
