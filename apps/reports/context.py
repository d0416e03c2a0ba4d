"""The report's page context: one dict for the portal scan page, the public share page, print and the PDF,
plus the organization's branding and the side-by-side comparison of a scan and its adjustments."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from apps.reports.charts import report_charts
from apps.reports.svg import fmt
from apps.reports.wording import (
    TECHNICAL_DETAILS,
    accuracy_view,
    assumption_rows,
    goal_label,
    inputs_used,
    percent,
    recommendation,
)


def branding_for(organization) -> dict:
    """Logo, display name and colour of the organization for the share page and the PDF."""
    enabled = bool(organization and organization.branding_enabled)
    name = (organization.branding_display_name if enabled else "") or (
        organization.name if organization else ""
    )
    logo = organization.branding_logo.url if enabled and organization.branding_logo else None
    colour = organization.branding_color if enabled else ""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        colour = "#0f766e"  # only a plain hex colour goes into the page's style attribute
    return {"name": name, "logo_url": logo, "color": colour, "enabled": enabled}


def with_savings(scans):
    """Annotate a scan list with the first-year savings from the stored report (one query, no report load)."""
    from django.db.models import FloatField
    from django.db.models.fields.json import KT
    from django.db.models.functions import Cast

    return scans.annotate(yearly_savings=Cast(KT("report__overview__kpi__yearly_savings"), FloatField()))


def scenario_grid(report: dict) -> list[dict]:
    """Rows fixed/dynamic × columns without/with battery, in a fixed order."""
    found = {(s["tariff_type"], s["with_battery"]): s for s in report.get("scenarios") or []}
    has_battery = bool(((report.get("battery") or {}).get("specs") or {}).get("capacity_kwh"))
    scan_key = (report.get("tariff_type"), has_battery)
    if scan_key in found:  # the cell that is this scan itself: its figures are the report's own
        found[scan_key] = {**found[scan_key], "is_scan": True}
    rows = []
    for tariff, label in (("flat", _("Fixed price contract")), ("dynamic", _("Dynamic contract"))):
        rows.append(
            {
                "label": label,
                "current": tariff == report.get("tariff_type"),
                "cells": [found.get((tariff, False)), found.get((tariff, True))],
            }
        )
    return rows


def report_context(scan, *, with_charts: bool = True) -> dict:
    report = scan.report or {}
    inputs = scan.inputs or {}
    overview = report.get("overview") or {}
    kpi = overview.get("kpi") or {}
    payback = report.get("payback_range") or {}
    sustainability = report.get("sustainability") or {}
    co2 = sustainability.get("co2_emissions") or {}
    financial = report.get("financial") or {}
    groups = assumption_rows(report, inputs)
    return {
        "scan": scan,
        "r": report,
        "inputs": inputs,
        "goal_label": goal_label(report.get("goal") or scan.goal),
        "kpi": {
            "savings": kpi.get("yearly_savings"),
            "payback": payback.get("base", kpi.get("return_period")) if payback else kpi.get("return_period"),
            "payback_low": payback.get("low"),
            "payback_high": payback.get("high"),
            "has_range": bool(payback),
            "ss_before": percent(kpi.get("self_sufficiency_baseline")),
            "ss_after": percent(kpi.get("self_sufficiency")),
            "co2_year": co2.get("co2_saved_yearly_kg"),
            "co2_total": co2.get("co2_saved_total_kg"),
            "years": (financial.get("parameters") or {}).get("evaluation_period"),
            "break_even": (financial.get("cashflow_summary") or {}).get("break_even_year"),
            "investment": (financial.get("investment") or {}).get("total_investment"),
            "npv": financial.get("net_present_value"),
        },
        "recommendation": recommendation(report, inputs),
        "charts": report_charts(scan) if with_charts else {},
        "scenarios": scenario_grid(report),
        "assumption_groups": [group for group in groups if group[0] != TECHNICAL_DETAILS],
        "technical_details": dict(groups).get(TECHNICAL_DETAILS, []),
        "inputs_used": inputs_used(report, inputs),
        "accuracy": accuracy_view(report),
        "equivalents": sustainability.get("equivalents") or {},
    }


def kpi_summary(scan) -> dict:
    """The few numbers the comparison of a scan and its adjustments shows side by side."""
    report = scan.report or {}
    kpi = (report.get("overview") or {}).get("kpi") or {}
    solar = report.get("solar") or {}
    battery = ((report.get("battery") or {}).get("specs")) or {}
    payback = report.get("payback_range") or {}
    return {
        "savings": kpi.get("yearly_savings"),
        "payback": kpi.get("return_period"),
        "payback_low": payback.get("low"),
        "payback_high": payback.get("high"),
        "ss_after": percent(kpi.get("self_sufficiency")),
        "new_panels": sum(a.get("panel_count") or 0 for a in solar.get("new_systems") or []),
        "new_kwp": sum(a.get("installed_capacity_kwp") or 0 for a in solar.get("new_systems") or []),
        "battery_kwh": battery.get("capacity_kwh") or 0,
        "investment": ((report.get("financial") or {}).get("investment") or {}).get("total_investment"),
        "npv": (report.get("financial") or {}).get("net_present_value"),
        "co2": ((report.get("sustainability") or {}).get("co2_emissions") or {}).get("co2_saved_yearly_kg"),
    }


def compare_rows(columns: list[dict]) -> list[dict]:
    """Rows of the side-by-side comparison: label and one formatted cell per scan, each flagged when it
    differs from the original (the first column)."""

    def years(v, investment=None):
        if investment == 0:
            return _("not applicable")
        return "—" if v is None else _("%(n)s years") % {"n": fmt(v, 1)}

    def eur(v):
        return "—" if v is None else f"€\u00a0{fmt(v)}"

    specs = [
        (_("New panels"), lambda k: f"{k['new_panels']} ({fmt(k['new_kwp'], 2)} kWp)"),
        (_("Battery"), lambda k: f"{fmt(k['battery_kwh'], 1)} kWh"),
        (_("Investment"), lambda k: eur(k["investment"])),
        (_("Yearly savings"), lambda k: eur(k["savings"])),
        (
            _("Payback period"),
            lambda k: (
                years(k["payback"], k["investment"])
                + (
                    f" ({fmt(k['payback_low'], 1)}–{fmt(k['payback_high'], 1)})"
                    if k["payback_low"] and k["payback_high"]
                    else ""
                )
            ),
        ),
        (_("Self-sufficiency"), lambda k: "—" if k["ss_after"] is None else f"{fmt(k['ss_after'])} %"),
        (_("Net present value"), lambda k: eur(k["npv"])),
        (_("CO2 saved per year"), lambda k: "—" if k["co2"] is None else f"{fmt(k['co2'])} kg"),
    ]
    rows = []
    for label, cell in specs:
        values = [cell(c["kpi"]) if c["kpi"] else "—" for c in columns]
        rows.append(
            {
                "label": label,
                "cells": [{"text": v, "changed": i > 0 and v != values[0]} for i, v in enumerate(values)],
            }
        )
    return rows
