"""Portal forms: they validate and present; the writes go through the services."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from apps.dossiers.models import Dossier
from apps.dossiers.services import EDITABLE_FIELDS, postcode_error
from apps.organizations.logos import UnsafeLogo, sanitised_svg
from apps.organizations.models import Membership
from apps.organizations.selectors import member_email_taken
from apps.organizations.services import WEBHOOK_EVENTS
from apps.organizations.webhook_targets import validate_webhook_url

ROLE_LABELS = {
    Membership.Role.OWNER: _("Owner"),
    Membership.Role.ADMIN: _("Admin"),
    Membership.Role.MEMBER: _("Member"),
}
ROLE_CHOICES = [(value, ROLE_LABELS[value]) for value in Membership.Role.values]
EVENT_LABELS = {
    "scan.completed": _("A scan has completed"),
    "scan.failed": _("A scan has failed"),
    "share.viewed": _("A customer opened a shared report"),
    "performance.alert": _("A solar system underperforms, or has recovered"),
}

LOGO_MAX_BYTES = 1024 * 1024
LOGO_TYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
_SVG_UNSAFE = re.compile(rb"<script|javascript:|<foreignObject|\son[a-z]+\s*=", re.IGNORECASE)
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class DossierForm(forms.ModelForm):
    class Meta:
        model = Dossier
        fields = [name for name in EDITABLE_FIELDS if name != "location_accuracy"]
        labels = {
            "reference": _("Your reference"),
            "customer_name": _("Customer name"),
            "address": _("Street and house number"),
            "country": _("Country"),
            "postcode": _("Postcode"),
            "house_number": _("House number"),
            "latitude": _("Latitude"),
            "longitude": _("Longitude"),
            "notes": _("Notes"),
        }
        help_texts = {
            "reference": _("Optional, e.g. a quote or order number."),
            "postcode": _("The coordinates follow from the postcode when you leave them empty."),
            "latitude": _("Decimal degrees, e.g. 52.0894. Leave empty to take them from the postcode."),
            "longitude": _("Decimal degrees, e.g. 5.1182."),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = False  # left out: the Netherlands, as the model's default

    def clean_country(self):
        return self.cleaned_data.get("country") or Dossier.Country.NL

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("postcode"):
            message = postcode_error(cleaned.get("country"), cleaned["postcode"])
            if message:
                self.add_error("postcode", message)
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors:
            field = "longitude" if longitude is None else "latitude"
            self.add_error(field, _("Give both latitude and longitude, or neither."))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Membership.Role.MEMBER)

    def __init__(self, *args, organization, actor: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        if actor.role != Membership.Role.OWNER:
            self.fields["role"].choices = [c for c in ROLE_CHOICES if c[0] != Membership.Role.OWNER]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if member_email_taken(organization=self.organization, email=email):
            raise forms.ValidationError(_("This person is already a member."))
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args, actor: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.role != Membership.Role.OWNER:
            self.fields["role"].choices = [c for c in ROLE_CHOICES if c[0] != Membership.Role.OWNER]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the key is used, e.g. “CRM integration”."),
    )


class BrandingForm(forms.Form):
    enabled = forms.BooleanField(label=_("Show my branding on shared reports"), required=False)
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=200,
        required=False,
        help_text=_("Shown to your customers instead of the organization name."),
    )
    color = forms.CharField(
        label=_("Brand colour"),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPG or SVG, at most 1 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".png,.jpg,.jpeg,.svg,image/png,image/jpeg,image/svg+xml"}
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    proposal_terms = forms.CharField(
        label=_("Terms on proposals"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Printed on every proposal your customer accepts; a proposal keeps the terms it was sent with."
        ),
    )

    def clean_color(self):
        color = self.cleaned_data["color"].strip()
        if color and not HEX_COLOR.match(color):
            raise forms.ValidationError(_("Use a hex colour such as #0f766e."))
        return color.lower()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return None
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is larger than 1 MB."))
        name = logo.name.lower()
        kind = next((k for ext, k in LOGO_TYPES.items() if name.endswith(ext)), None)
        head = logo.read(2048)
        logo.seek(0)
        if kind == "png" and head.startswith(b"\x89PNG\r\n\x1a\n"):
            return logo
        if kind == "jpeg" and head.startswith(b"\xff\xd8\xff"):
            return logo
        if kind == "svg" and b"<svg" in head.lower():
            body = logo.read()
            if _SVG_UNSAFE.search(body):
                raise forms.ValidationError(
                    _("This SVG contains scripts or event handlers; upload a plain image.")
                )
            try:
                return ContentFile(sanitised_svg(body), name=logo.name)
            except UnsafeLogo as exc:
                raise forms.ValidationError(_("This SVG could not be read; upload a plain image.")) from exc
        raise forms.ValidationError(_("Upload a PNG, JPG or SVG image."))


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_webhook_url],
        help_text=_("We send a signed POST request to this address."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event, EVENT_LABELS[event]) for event in WEBHOOK_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(WEBHOOK_EVENTS),
    )


class PortalPasswordResetForm(PasswordResetForm):
    """Also reaches invited users who have not chosen a password yet (Django skips unusable passwords)."""

    def get_users(self, email):
        User = get_user_model()
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if u.has_usable_password() or u.memberships.exists())
