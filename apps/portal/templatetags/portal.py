"""Template helpers for the portal layout: the current organization, role labels, accessible fields."""

from django import template
from django.utils.safestring import mark_safe

from apps.organizations.selectors import user_memberships
from apps.portal.forms import EVENT_LABELS, ROLE_LABELS
from apps.portal.views.base import resolve_membership

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_membership(context):
    """The signed-in user's membership (with its organization), or None: for the header on every page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(request, "membership", None) or resolve_membership(request)


@register.simple_tag(takes_context=True)
def portal_switchable(context):
    """The user's memberships when there is more than one to switch between, else an empty list."""
    request = context.get("request")
    if request is None or not getattr(getattr(request, "user", None), "is_authenticated", False):
        return []
    memberships = list(user_memberships(user=request.user))
    return memberships if len(memberships) > 1 else []


@register.filter
def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


@register.filter
def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, event)


@register.simple_tag(takes_context=True)
def nav_active(context, *names) -> str:
    """`aria-current="page"` when the current URL name is one of `names` (styled as the active tab)."""
    match = getattr(context.get("request"), "resolver_match", None)
    return mark_safe(' aria-current="page"') if match and match.url_name in names else ""


@register.filter
def field_widget(bound_field):
    """Render a widget with aria-invalid and aria-describedby pointing at its help text and errors."""
    described = []
    attrs = {}
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def num(value, decimals=0):
    """A number in the active locale with thousands grouping; "—" when missing."""
    from apps.reports.svg import fmt

    if value is None or value == "":
        return "—"
    try:
        return fmt(float(value), int(decimals))
    except (TypeError, ValueError):
        return value


@register.filter
def eur(value, decimals=0):
    """Money: "€ 1.234" in Dutch, "€ 1,234" in English; negative as "−€ 1.234"."""
    if value is None or value == "":
        return "—"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return value
    sign = "−" if value < 0 else ""
    return f"{sign}€\u00a0{num(abs(value), decimals)}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(fraction, decimals=0):
    """A fraction (0.68) as "68 %"."""
    if fraction is None:
        return "—"
    return f"{num(100.0 * float(fraction), decimals)} %"


@register.filter
def scan_status_label(status: str) -> str:
    from apps.portal.views.scans import STATUS_LABELS

    return str(STATUS_LABELS.get("processing" if status == "running" else status, status))


@register.filter
def scan_goal_label(goal: str) -> str:
    from apps.reports.wording import goal_label

    return str(goal_label(goal))
