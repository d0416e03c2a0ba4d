"""One computation, one story: every figure the report shows in more than one place (KPIs, advice, the
comparison cell that is the scan itself) shows the same value, on the portal page and the share page."""

import copy
import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.reports.context import report_context
from apps.reports.svg import fmt

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'<data data-figure="([a-z0-9-]+)" value="([^"]*)"></data>')


def figures(html: str) -> dict[str, set[str]]:
    """Every marked figure → the set of values it is shown with."""
    found: dict[str, set[str]] = {}
    for name, value in FIGURE.findall(html):
        found.setdefault(name, set()).add(unescape(value))
    return found


def _inconsistent(html: str) -> dict[str, set[str]]:
    return {name: values for name, values in figures(html).items() if len(values) > 1}


def test_every_repeated_figure_has_one_value(owner_client, completed_scan, client):
    page = owner_client.get(reverse("portal:scan_detail", args=[completed_scan.pk])).content.decode()
    found = figures(page)
    # The seed scan buys panels and a battery: savings, payback and NPV show in the KPIs/advice and in
    # the comparison cell of its own contract with the battery.
    for name in ("yearly-savings", "payback", "npv", "investment", "ss-before", "ss-after", "co2-year"):
        assert name in found, name
    assert FIGURE.findall(page).count(("npv", next(iter(found["npv"])))) >= 2
    assert _inconsistent(page) == {}
    owner_client.post(reverse("portal:scan_share", args=[completed_scan.pk]))
    completed_scan.refresh_from_db()
    share = client.get(reverse("portal:share", args=[completed_scan.share_token])).content.decode()
    assert _inconsistent(share) == {}
    assert figures(share) == found


def test_advice_words_use_the_shown_numbers(completed_scan):
    report = completed_scan.report
    with translation.override("en"):
        context = report_context(completed_scan, with_charts=False)
        advice = " ".join(context["recommendation"])
        kpi = report["overview"]["kpi"]
        investment = report["financial"]["investment"]["total_investment"]
        assert f"€ {fmt(investment)}" in advice
        if kpi["return_period"] is not None:
            assert f"about {fmt(kpi['return_period'], 1)} years" in advice
        assert f"€ {fmt(report['financial']['net_present_value'])}" in advice
        assert f"{fmt(100 * kpi['self_sufficiency'])} %" in advice
        # The battery's own use, 30 W x 8760 h = 262.8 kWh a year (defaults.BATTERY_STANDBY_W).
        standby = report["battery"]["performance"]["standby_kwh_per_year"]
        assert standby == pytest.approx(262.8)
        assert f"uses about {fmt(standby)} kWh a year" in advice


def test_a_comparison_that_disagrees_is_caught(completed_scan):
    # The check must be able to fail: a comparison cell of the scan's own contract with another NPV.
    tampered = copy.deepcopy(completed_scan.report)
    has_battery = bool((tampered.get("battery") or {}).get("specs"))
    for s in tampered["scenarios"]:
        if s["tariff_type"] == tampered["tariff_type"] and s["with_battery"] == has_battery:
            s["net_present_value"] += 53.0
    completed_scan.report = tampered
    html = render_to_string("portal/report/_report.html", report_context(completed_scan, with_charts=False))
    assert set(_inconsistent(html)) == {"npv"}


def test_report_shows_the_inputs_it_used(owner_client, completed_scan, client):
    # Seed body: 3,500 kWh a year entered, fixed contract 0.28 EUR/kWh (Dutch formatting on the page).
    owner_client.post(reverse("portal:scan_share", args=[completed_scan.pk]))
    completed_scan.refresh_from_db()
    used = completed_scan.report["overview"]["kpi"]["yearly_usage_kwh"]
    for url, who in (
        (reverse("portal:scan_detail", args=[completed_scan.pk]), owner_client),
        (reverse("portal:share", args=[completed_scan.share_token]), client),
    ):
        with translation.override("nl"):
            body = who.get(url).content.decode()
            assert "Berekend met" in body
            assert "3.500 kWh" in body  # entered
            assert f"{fmt(used)} kWh" in body  # used (gross load, with the existing panels' own use)
            assert "€ 0,280 /kWh" in body


def test_nothing_bought_shows_not_applicable(owner, dossier, owner_client):
    # Existing panels only, no new panels and no battery: the investment is 0 and the payback period is
    # "n.v.t." (not applicable), never "0,0 jaar".
    from dataclasses import replace

    from apps.engine.api import run_scan
    from devkit.engine.examples import seed_example_inputs
    from tests.scans.conftest import complete_scan

    result = run_scan(replace(seed_example_inputs(), new_pv=(), battery=None, goal="cost-savings"))
    assert result.finance.investment_eur == 0 and result.finance.payback_years is None
    scan = complete_scan(owner.organization, result, dossier=dossier)
    assert scan.report["overview"]["kpi"]["return_period"] is None
    with translation.override("nl"):
        body = owner_client.get(reverse("portal:scan_detail", args=[scan.pk])).content.decode()
    kpi = body[body.index("kpi-payback") : body.index("kpi-ss")]
    assert "n.v.t." in kpi and "0,0" not in kpi
    assert figures(body)["payback"] == {"-"}
