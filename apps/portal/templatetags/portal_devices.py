"""``{% dossier_device_links dossier %}``: the dossier page's "Device links" section (links of the
request's organization only)."""

from django import template

from apps.devices.selectors import device_link_list

register = template.Library()


@register.inclusion_tag("portal/devices/_dossier_links.html", takes_context=True)
def dossier_device_links(context, dossier):
    request = context["request"]
    organization = getattr(request, "organization", None)
    links = (
        device_link_list(organization=organization, dossier_id=dossier.pk) if organization is not None else []
    )
    return {"dossier": dossier, "links": links, "request": request}
