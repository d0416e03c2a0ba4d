"""The homeowner's answer on the share page: accept (name, e-mail, terms tick, optional remark) or decline
(optional reason). Both carry the version hash the page showed."""

from django import forms
from django.utils.translation import gettext_lazy as _

NAME_MAX = 200
REMARK_MAX = 2000


class _Answer(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AcceptForm(_Answer):
    name = forms.CharField(label=_("Your full name"), max_length=NAME_MAX)
    email = forms.EmailField(label=_("Your e-mail address"))
    terms = forms.BooleanField(
        label=_("I have read the proposal and accept its price and terms."),
        error_messages={"required": _("Tick the box to accept the terms.")},
    )
    remark = forms.CharField(
        label=_("Remark (optional)"),
        required=False,
        max_length=REMARK_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name


class DeclineForm(_Answer):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=REMARK_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _euros(label, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0, required=required, localize=True
    )


class ProposalNewForm(forms.Form):
    """The installer's price for a proposal (portal). Money in euros; Dutch decimal commas accepted."""

    total_incl_vat = _euros(_("Total price incl. VAT (€)"), required=True)
    panels_price = _euros(_("Of which solar panels (€, optional)"))
    battery_price = _euros(_("Of which home battery (€, optional)"))
    installation_price = _euros(_("Of which installation (€, optional)"))
    valid_until = forms.DateField(
        label=_("Valid until (optional, default 30 days)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
