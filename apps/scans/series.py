"""Names of the hourly series stored per scan (the seed's chartData names, snake_case = ScanResult.series)."""

# Energy flows [kWh per hour]: summed when aggregated to days, weeks or months.
ENERGY_SERIES = (
    "consumption",
    "solar_used_onsite",
    "solar_exported",
    "solar_stored",
    "solar_wasted",
    "solar_production",
    "grid_used_onsite",
    "grid_stored",
    "baseline_grid_consumption",
    "battery_used_onsite",
)

# Everything stored: the flows plus the battery level [%] and hourly prices [EUR/kWh].
HOURLY_SERIES = (*ENERGY_SERIES, "battery_level", "import_price", "export_price")
