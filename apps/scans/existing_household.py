"""``solar.existing_household``: a home that already has panels, as its meter (or bill) and the scan see it.

So an installer can check the scan against the energy bill: what was measured (grid import and export),
what the scan reconstructed from it (gross consumption = import + own use of the existing production) and
the existing production the scan used. The figures come from the engine's ``Assumptions.gross_load``
(``apps.engine.api._gross_load``): a ``StudioReconstruction`` (with the meter's import and export when
measured) for a studio profile, a ``BillFit`` for the known flow with ``yearlyExportKwh``.
"""

from __future__ import annotations

from apps.engine.types import BillFit, ScanResult, StudioReconstruction

METHODS = {
    StudioReconstruction.method: (
        "gross = measured import + (existing production - measured export) per hour; the solar layer's "
        "simulated production is reconciled with the measured export per day (apps.engine.reconstruction)"
    ),
    BillFit.method: (
        "household-shaped load sized by the yearly balance, existing PV yield fitted so that the hourly "
        "baseline reproduces the bill's import and export (apps.engine.load.reconstruct_gross_load)"
    ),
}


KNOWN_ERRORS = {
    StudioReconstruction.method: (
        "the solar layer's yearly yield is taken as true: an error in it goes one-to-one into the gross "
        "consumption (a layer 20 % too large adds 20 % of its yield); within the year own use is placed on "
        "the simulation's sunny days re-ranked by the measured export (daily gross off by about 8 % on "
        "average in tests); none with a measured inverter production"
    ),
    BillFit.method: (
        "a standard household shape is assumed; when the bill needs the existing yield outside its bounds the "
        "baseline differs from the bill (see billReconstructionWarning)"
    ),
}


def assumption(result: ScanResult) -> dict:
    """``assumptions`` entries: how the gross consumption of a home with panels was reconstructed and its
    known error. Empty for a home without panels."""
    gross = result.assumptions.gross_load
    if gross is None:
        return {}
    return {
        "gross_load_reconstruction": METHODS[gross.method],
        "gross_load_known_error": KNOWN_ERRORS[gross.method],
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def report_block(result: ScanResult) -> dict:
    """``{"existing_household": {...}}`` for the report's solar section, or {} for a home without panels."""
    gross = result.assumptions.gross_load
    if isinstance(gross, BillFit):
        source, imported, exported = "bill", gross.bill_import_kwh, gross.bill_export_kwh
        production = sum(array.yearly_output_kwh for array in result.existing_pv)
        warning = gross.bill_reconstruction_warning
    elif isinstance(gross, StudioReconstruction):
        imported, exported = gross.meter_import_kwh, gross.meter_export_kwh
        source = "meter" if imported is not None else "profile"
        production, warning = gross.existing_production_kwh, None
    else:
        return {}
    return {
        "existing_household": {
            "source": source,
            "measured_import_kwh": _r(imported),
            "measured_export_kwh": _r(exported),
            "gross_consumption_kwh": _r(result.yearly_usage_kwh),
            "existing_production_kwh": _r(production),
            "own_use_kwh": _r(production - exported) if exported is not None else None,
            "baseline_import_kwh": _r(result.grid_import_kwh_bau),
            "baseline_export_kwh": _r(result.grid_export_kwh_bau),
            "method": METHODS[gross.method],
            "warning": warning,
        }
    }
