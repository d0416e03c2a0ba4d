"""``{% dossier_performance dossier %}`` (the dossier page's section) and ``{% performance_alerts %}``
(the dashboard's list): the request's organization only."""

from django import template

from apps.monitoring import selectors
from apps.monitoring.chart import performance_chart
from apps.monitoring.figures import since_installation

register = template.Library()
DASHBOARD_ALERTS = 10


@register.inclusion_tag("monitoring/_dossier_section.html", takes_context=True)
def dossier_performance(context, dossier):
    design = selectors.installed_design_of(dossier=dossier)
    months = list(selectors.performance_months(dossier=dossier)) if design else []
    return {
        "dossier": dossier,
        "design": design,
        "months": months,
        "chart": performance_chart(months) if months else "",  # every label escaped in the SVG
        "totals": since_installation(months),
        "alert": selectors.active_alert_of(dossier=dossier),
    }


@register.inclusion_tag("monitoring/_dashboard_alerts.html", takes_context=True)
def performance_alerts(context):
    organization = getattr(context["request"], "organization", None)
    return {"alerts": selectors.active_alerts(organization=organization)[:DASHBOARD_ALERTS]}
