"""``{% dossier_proposals dossier %}`` and ``{% recent_proposals %}``: proposal status in the portal (the
request's organization only)."""

from django import template

from apps.proposals.selectors import proposal_list

register = template.Library()
RECENT = 8


@register.inclusion_tag("proposals/_portal_list.html", takes_context=True)
def dossier_proposals(context, dossier):
    request = context["request"]
    organization = getattr(request, "organization", None)
    return {
        "proposals": proposal_list(organization=organization, dossier_id=dossier.pk),
        "show_dossier": False,
    }


@register.inclusion_tag("proposals/_portal_list.html", takes_context=True)
def recent_proposals(context):
    request = context["request"]
    organization = getattr(request, "organization", None)
    return {"proposals": proposal_list(organization=organization)[:RECENT], "show_dossier": True}


@register.inclusion_tag("proposals/_scan_proposals.html", takes_context=True)
def scan_proposals(context, scan):
    """The scan page's proposal section: its versions and the form for a new one."""
    from apps.proposals.forms import ProposalNewForm

    request = context["request"]
    organization = getattr(request, "organization", None)
    return {
        "scan": scan,
        "proposals": proposal_list(organization=organization, scan_id=scan.pk),
        "form": ProposalNewForm(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
