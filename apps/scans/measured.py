"""Measured production of a linked inverter → calibration of a scan's existing PV.

At submission (``services.scan_create``) a scan on a dossier looks up what its linked devices measured
(``apps.devices.selectors.dossier_measured_production``) and stores the decision in its resolved inputs
under ``measured_production``, so the run — and any rerun — uses exactly the same figure:

* no linked device with measured production → nothing stored, the scan is simulated as before;
* the scan has no existing PV → stored with ``used: False`` and the reason;
* the measured period is shorter than ``MIN_MEASURED_DAYS`` → not used (a part of a year says little about
  the whole year's yield: winter and summer differ five-fold), with the reason;
* otherwise the production is annualized to 365 days (periods of 300–365 days) and handed to the engine as
  ``ScanInputs.existing_pv_measured_yearly_kwh``; the engine scales the existing arrays by one bounded factor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.engine.defaults import EXISTING_PV_SCALE_RANGE

if TYPE_CHECKING:
    from apps.organizations.models import Organization

KEY = "measured_production"
MIN_MEASURED_DAYS = 300  # [days] below this the measured period is not taken as a year's production
YEAR_DAYS = 365


def resolve(*, organization: Organization | None, dossier_id: str | None, inputs: dict) -> dict | None:
    """The stored decision (snake_case, JSON) for a scan's inputs, or None when nothing was measured."""
    from apps.devices.selectors import dossier_measured_production  # reads; the rest of this module is pure

    if organization is None or not dossier_id:
        return None
    facts = dossier_measured_production(organization=organization, dossier_id=dossier_id)
    if facts is None:
        return None
    days = facts["periodDays"]
    decision = {
        "measured_kwh": facts["measuredKwh"],
        "period_start": facts["periodStart"],
        "period_end": facts["periodEnd"],
        "period_days": days,
        "source": facts["source"],
        "link_id": facts["linkId"],
        "yearly_kwh": None,
        "used": False,
        "reason": None,
    }
    if not inputs.get("existing_pv"):
        decision["reason"] = "the scan describes no existing PV to calibrate"
    elif days < MIN_MEASURED_DAYS:
        decision["reason"] = (
            f"measured over {days:g} days only; at least {MIN_MEASURED_DAYS} days are needed for a yearly figure"
        )
    elif facts["measuredKwh"] <= 0:
        decision["reason"] = "the linked device measured no production"
    else:
        decision["yearly_kwh"] = round(facts["measuredKwh"] * YEAR_DAYS / min(days, YEAR_DAYS), 3)
        decision["used"] = True
    return decision


def measured_yearly_kwh(inputs: dict) -> float | None:
    """What the engine gets: the annualized measured production when it is to be used, else None."""
    decision = inputs.get(KEY)
    if not decision or not decision.get("used"):
        return None
    return decision["yearly_kwh"]


def report_block(inputs: dict, result) -> dict | None:
    """``solar.measuredVsSimulated``: measured and simulated yearly production of the existing PV, the
    factor applied (None when the measurement was not used) and why not."""
    decision = inputs.get(KEY)
    if not decision:
        return None
    calibration = result.existing_pv_calibration
    if calibration is not None:
        simulated, warning = calibration.simulated_kwh, calibration.warning
    else:
        simulated, warning = sum(a.yearly_output_kwh for a in result.existing_pv), None
    used = bool(decision.get("used")) and calibration is not None and calibration.raw_factor is not None
    return {
        "measured_kwh": decision["measured_kwh"],
        "measured_yearly_kwh": decision.get("yearly_kwh"),
        "simulated_kwh": round(simulated, 1),
        "factor": round(calibration.factor, 4) if used else None,
        "raw_factor": round(calibration.raw_factor, 4) if used else None,
        "applied": used,
        "period": {
            "start": decision["period_start"],
            "end": decision["period_end"],
            "days": decision["period_days"],
        },
        "source": decision["source"],
        "reason": warning if used else (decision.get("reason") or warning),
    }


def accuracy_factor(inputs: dict, result) -> dict | None:
    """The accuracy line; the caller adds a point to the score when ``level == "measured"``."""
    block = report_block(inputs, result)
    if block is None or not inputs.get("existing_pv"):
        return None
    if block["applied"]:
        return {
            "factor": "existingPvProduction",
            "level": "measured",
            "detail": (
                f"existing PV calibrated to {block['measured_yearly_kwh']:g} kWh/yr measured by "
                f"{block['source']} (factor {block['factor']:.2f})"
            ),
        }
    return {
        "factor": "existingPvProduction",
        "level": "simulated",
        "detail": f"measured production not used: {block['reason']}",
    }


def assumption(inputs: dict, result) -> dict:
    """``assumptions`` entries (flat scalars, like the other assumptions): the measured figure used for the
    existing PV's yearly production, its source, the factor applied and its bounds. Empty without one."""
    block = report_block(inputs, result)
    if block is None:
        return {}
    return {
        "existing_pv_measured_source": block["source"],
        "existing_pv_measured_yearly_kwh": block["measured_yearly_kwh"],
        "existing_pv_measured_period_days": block["period"]["days"],
        "existing_pv_simulated_yearly_kwh": block["simulated_kwh"],
        "existing_pv_scale_factor": block["factor"],
        "existing_pv_scale_range": list(EXISTING_PV_SCALE_RANGE),
        "existing_pv_measured_min_period_days": MIN_MEASURED_DAYS,
        "existing_pv_measured_note": block["reason"],
    }
