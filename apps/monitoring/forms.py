"""Portal forms for the installed design: they validate and present; the writes go through the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.engine import defaults as d


class ArrayForm(forms.Form):
    panel_count = forms.IntegerField(label=_("Panels"), min_value=1, max_value=1000)
    panel_power_watts = forms.FloatField(label=_("Panel power [Wp]"), min_value=50, max_value=1000)
    tilt_deg = forms.FloatField(label=_("Tilt [°]"), min_value=0, max_value=90)
    azimuth_deg = forms.FloatField(
        label=_("Orientation [°]"),
        min_value=0,
        max_value=360,
        help_text=_("180 = south, 90 = east, 270 = west"),
    )
    losses_pct = forms.FloatField(
        label=_("System losses [%]"), min_value=0, max_value=99, initial=d.DEFAULT_SYSTEM_LOSSES_PCT
    )


ArrayFormSet = forms.formset_factory(ArrayForm, extra=1, min_num=1, max_num=8, validate_min=True)


class InstalledDesignForm(forms.Form):
    install_date = forms.DateField(label=_("Install date"), widget=forms.DateInput(attrs={"type": "date"}))
    battery_capacity_kwh = forms.FloatField(label=_("Battery capacity [kWh]"), min_value=0.1, required=False)
    battery_power_kw = forms.FloatField(label=_("Battery power [kW]"), min_value=0.1, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("battery_capacity_kwh") is None) != (data.get("battery_power_kw") is None):
            self.add_error("battery_power_kw", _("Give both the battery's capacity and power, or neither."))
        return data

    def battery(self) -> dict | None:
        capacity = self.cleaned_data.get("battery_capacity_kwh")
        if capacity is None:
            return None
        return {"capacity_kwh": capacity, "power_kw": self.cleaned_data["battery_power_kw"]}


class FromSourceForm(forms.Form):
    """``source`` is ``proposal:<id>`` or ``scan:<id>``, among the choices the view offers."""

    source = forms.ChoiceField(label=_("Take the design from"))
    install_date = forms.DateField(label=_("Install date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = choices
