"""Template helpers for the portal layout: the current organization, role labels, accessible fields."""

from django import template
from django.utils.safestring import mark_safe

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
