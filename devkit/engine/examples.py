"""Reference inputs shared by the tests and the benchmark."""

from dataclasses import replace

from apps.engine.types import (
    BatteryInput,
    ExistingPvArray,
    KnownConsumption,
    Location,
    NewPvArray,
    ScanInputs,
    TariffInput,
)


def seed_example_inputs() -> ScanInputs:
    """The example request body of POST /v1/scans in the scans API seed (Amsterdam, flat tariff)."""
    return ScanInputs(
        location=Location(52.3676, 4.9041),
        consumption=KnownConsumption(yearly_kwh=3500, yearly_export_kwh=800, load_profile="standard"),
        existing_pv=(ExistingPvArray("existing_pv_1", 10, 400, 35, 180, 14),),
        new_pv=(NewPvArray("new_pv_1", 0, 10, 400, 35, 180, cost_per_kwp=1000, system_losses=14),),
        tariff=TariffInput(type="flat", flat_eur_per_kwh=0.28, feed_in_eur_per_kwh=0.1, taxes_included=True),
        battery=BatteryInput(
            capacity_kwh=10,
            power_rating_kw=10,
            min_capacity_kwh=5,
            min_power_rating_kw=5,
            minimum_charge_level=20,
            roundtrip_efficiency=92,
            cost_per_kwh=550,
            brand_name="Tesla",
            model_name="Powerwall 3",
        ),
        goal="self-sufficiency",
        renewable_electricity_min_fraction=0.5,
        analysis_years=25,
        include_pv_maintenance_costs=True,
        include_battery_maintenance_costs=True,
    )


def home_buying_panels_inputs() -> ScanInputs:
    """A household without panels that buys some: the seed's home at 4,500 kWh/yr, no existing PV, goal
    cost-savings and a cheaper battery (250 EUR/kWh, 2-10 kWh, 2-5 kW, no fixed installation cost), so the
    sizing's search is exercised (the seed's own home, with 4 kWp and honest defaults, buys little or nothing).
    """
    seed = seed_example_inputs()
    battery = replace(
        seed.battery,
        cost_per_kwh=250,
        min_capacity_kwh=2,
        min_power_rating_kw=2,
        power_rating_kw=5,
        fixed_cost_eur=0.0,
    )
    return replace(
        seed,
        existing_pv=(),
        consumption=replace(seed.consumption, yearly_kwh=4500, yearly_export_kwh=None),
        goal="cost-savings",
        battery=battery,
    )
