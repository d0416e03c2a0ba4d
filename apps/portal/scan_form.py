"""The scan form: every input of POST /v1/scans, laid out for people, validated by the API's own serializer.

HTML input names are the API's camelCase field paths (`location.lat`, `newPv.0.tiltAngle`), so a field
error from the serializer (flattened exactly as the API does) lands next to its own input, rows included.
This module lays out fields and fills defaults; `apps.portal.scan_body` turns the POST into the API body. It
holds no validation rule: `apps.scans.submission.scan_submit` validates, counts quota and enqueues, and
`apps.scans.flow` says which inputs belong to which choice (the show/hide conditions here come from it).
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields

from django.utils.translation import gettext_lazy as _

from apps.common.casing import to_camel
from apps.engine import defaults as engine_defaults
from apps.engine.types import BatteryInput, TariffInput
from apps.prices.services import available_years
from apps.scans import flow

CONFIRM_KEY = "_confirmImplausible"
LATEST_PRICE_YEAR = "latest"  # the price-year select's default: the API's omitted priceYear
# Which inputs the page shows for which choice (the form's show/hide), from the API's own flow rules.
CONDITIONS = {
    **{to_camel(name): "inputMethod=known" for name in flow.KNOWN_ONLY},
    **{to_camel(name): "inputMethod=studio" for name in flow.STUDIO_ONLY},
    **{f"tariff.{to_camel(name)}": "tariff.type=flat" for name in flow.FLAT_ONLY},
    **{f"tariff.{to_camel(name)}": "tariff.type=dynamic" for name in flow.DYNAMIC_ONLY},
    "tariff.capacityTariffEurPerKwYear": "tariff.capacityTariff=on",
    **{f"tariff.{to_camel(name)}": "tariff.capacityTariff=on" for name in flow.CAPACITY_ONLY},
    "renewableElectricityMinFraction": "goal=renewable-minimum",
    **{
        f"electricBattery.{name}": "batteryEnabled=on"
        for name in (
            "minCapacityKwh",
            "capacityKwh",
            "minPowerRatingKw",
            "powerRatingKw",
            "minimumChargeLevel",
            "roundtripEfficiency",
            "costPerKwh",
            "lifeYears",
            "fixedCostEur",
            "standbyW",
            "gridCharging",
            "brandName",
            "modelName",
        )
    },
    "includeBatteryMaintenanceCosts": "batteryEnabled=on",
}


def _dc_default(cls, name):
    for f in fields(cls):
        if f.name == name and f.default is not MISSING:
            return f.default
    raise LookupError(name)


def display(value) -> str:
    """A stored or default input as the form shows it (booleans as a checked box, 4.0 as 4)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_indexes(values: dict[str, str], prefix: str) -> list[int]:
    """The row numbers present in the values for a list input (`newPv.3.…` → 3), in order."""
    found = set()
    for key in values:
        match = re.match(rf"^{prefix}\.(\d+)\.", key)
        if match:
            found.add(int(match.group(1)))
    return sorted(found)


@dataclass
class Field:
    name: str  # camelCase path, also the HTML name
    label: str
    kind: str = "number"  # number | text | checkbox | select | radio
    value: str = ""
    step: str = "any"
    unit: str = ""
    help: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    required: bool = False
    min: str = ""
    max: str = ""
    when: str = ""  # "name=value": shown only then (the page script hides it otherwise)

    @property
    def html_id(self) -> str:
        return "f-" + re.sub(r"[^a-zA-Z0-9]+", "-", self.name)


EXISTING_ROW = (
    ("name", _("Name"), "text", "", ""),
    ("panelCount", _("Panels"), "number", "1", ""),
    ("panelPowerWatts", _("Panel power"), "number", "any", "Wp"),
    ("tiltAngle", _("Tilt"), "number", "any", "°"),
    ("orientationAngle", _("Orientation"), "number", "any", "°"),
    ("systemLosses", _("Losses"), "number", "any", "%"),
)
NEW_ROW = (
    ("name", _("Name"), "text", "", ""),
    ("minPanelCount", _("Min. panels"), "number", "1", ""),
    ("maxPanelCount", _("Max. panels"), "number", "1", ""),
    ("panelPowerWatts", _("Panel power"), "number", "any", "Wp"),
    ("tiltAngle", _("Tilt"), "number", "any", "°"),
    ("orientationAngle", _("Orientation"), "number", "any", "°"),
    ("costPerKwp", _("Cost"), "number", "any", "€/kWp"),
    ("systemLosses", _("Losses"), "number", "any", "%"),
)


def default_values(*, lat=None, lon=None) -> dict[str, str]:
    """A sensible starting point: one south roof of up to 12 new panels, a battery range, fixed tariff."""
    values = {
        "location.lat": display(lat),
        "location.lon": display(lon),
        "inputMethod": "known",
        "yearlyKwh": "3500",
        "loadProfile": "standard",
        "tariff.type": "flat",
        "tariff.flatEurPerKwh": display(_dc_default(TariffInput, "flat_eur_per_kwh")),
        "tariff.feedInEurPerKwh": display(_dc_default(TariffInput, "feed_in_eur_per_kwh")),
        "tariff.taxesIncluded": "on",
        "tariff.supplierMarkupEurPerKwh": display(engine_defaults.DYNAMIC_SUPPLIER_MARKUP_EUR_PER_KWH),
        "tariff.feedInFeeEurPerKwh": display(engine_defaults.DYNAMIC_FEED_IN_FEE_EUR_PER_KWH),
        "tariff.priceYear": LATEST_PRICE_YEAR,
        "tariff.fixedMonthlyEur": display(_dc_default(TariffInput, "fixed_monthly_eur")),
        "tariff.feedInCostEurPerKwh": display(_dc_default(TariffInput, "feed_in_cost_eur_per_kwh")),
        "tariff.country": "NL",
        "batteryEnabled": "on",
        "electricBattery.minCapacityKwh": "0",
        "electricBattery.capacityKwh": "10",
        "electricBattery.minPowerRatingKw": "0",
        "electricBattery.powerRatingKw": "5",
        "electricBattery.minimumChargeLevel": display(_dc_default(BatteryInput, "minimum_charge_level")),
        "electricBattery.roundtripEfficiency": display(_dc_default(BatteryInput, "roundtrip_efficiency")),
        "electricBattery.costPerKwh": display(_dc_default(BatteryInput, "cost_per_kwh")),
        "electricBattery.lifeYears": display(_dc_default(BatteryInput, "life_years")),
        "electricBattery.fixedCostEur": display(_dc_default(BatteryInput, "fixed_cost_eur")),
        "electricBattery.standbyW": display(_dc_default(BatteryInput, "standby_w")),
        "pvFixedCostEur": display(engine_defaults.PV_INSTALLATION_FIXED_EUR),
        "goal": "cost-savings",
        "analysisYears": display(engine_defaults.DEFAULT_ANALYSIS_YEARS),
        "newPv.0.name": "",
        "newPv.0.minPanelCount": "0",
        "newPv.0.maxPanelCount": "12",
        "newPv.0.panelPowerWatts": "430",
        "newPv.0.tiltAngle": "35",
        "newPv.0.orientationAngle": "180",
        "newPv.0.costPerKwp": display(engine_defaults.DEFAULT_PV_COST_EUR_PER_KWP),
        "newPv.0.systemLosses": display(engine_defaults.DEFAULT_SYSTEM_LOSSES_PCT),
    }
    return values


def apply_prefill(values: dict[str, str], electric_battery: dict | None) -> None:
    """Put a dossier's prefilled battery inputs (apps.scans.prefill, snake_case) into the form values."""
    if electric_battery is None:
        return
    values["batteryEnabled"] = "on"
    for name, value in electric_battery.items():
        values[f"electricBattery.{to_camel(name)}"] = display(value)


# --- layout ---------------------------------------------------------------------------------------------


@dataclass
class Section:
    step: str
    title: str
    fields: list[Field] = field(default_factory=list)
    rows: list[list[Field]] = field(default_factory=list)  # for PV arrays
    template_row: list[Field] = field(default_factory=list)
    editable: bool = True
    help: str = ""


def _field(values, errors, name, label, kind="number", **kw) -> Field:
    return Field(
        name=name, label=str(label), kind=kind, value=values.get(name, ""), errors=errors.get(name, []), **kw
    )


def _row(values, errors, prefix, index, spec) -> list[Field]:
    return [
        _field(values, errors, f"{prefix}.{index}.{name}", label, kind=kind, step=step, unit=unit)
        for name, label, kind, step, unit in spec
    ]


def price_year_choices() -> list[tuple[str, str]]:
    """The price-year select: "latest" (the API's default), then every built-in or stored year, newest
    first, naming the countries that have it (the API refuses a year its country lacks, on this field)."""
    countries: dict[int, list[str]] = {}
    for country in ("NL", "BE"):
        for year in available_years(country):
            countries.setdefault(year, []).append(country)
    return [(LATEST_PRICE_YEAR, str(_("Latest available year")))] + [
        (str(year), f"{year} ({', '.join(countries[year])})") for year in sorted(countries, reverse=True)
    ]


def build_sections(
    values: dict[str, str],
    errors: dict[str, list[str]],
    *,
    studio_profiles=(),
    editable_steps: set[str] | None = None,
) -> list[Section]:
    v, e = values, errors
    tariff = [
        _field(
            v,
            e,
            "tariff.type",
            _("Contract"),
            "radio",
            choices=[("flat", _("Fixed price")), ("dynamic", _("Dynamic (hourly prices)"))],
        ),
        _field(
            v, e, "tariff.flatEurPerKwh", _("Electricity price"), unit="€/kWh", help=_("All-in price per kWh")
        ),
        _field(v, e, "tariff.feedInEurPerKwh", _("Feed-in compensation"), unit="€/kWh"),
        _field(v, e, "tariff.taxesIncluded", _("Energy tax and VAT are included in this price"), "checkbox"),
        _field(v, e, "tariff.supplierMarkupEurPerKwh", _("Supplier markup"), unit="€/kWh"),
        _field(v, e, "tariff.feedInFeeEurPerKwh", _("Feed-in fee"), unit="€/kWh"),
        _field(
            v,
            e,
            "tariff.priceYear",
            _("Price year"),
            "select",
            choices=price_year_choices(),
            help=_(
                "The measured day-ahead year the hourly prices are taken from; not with an own price file."
            ),
        ),
        _field(
            v,
            e,
            "tariff.netMetering",
            _("Net metering (salderen)"),
            "select",
            choices=[
                ("auto", _("As the law says (ends 1 January 2027)")),
                ("true", _("Yes")),
                ("false", _("No")),
            ],
        ),
        _field(v, e, "tariff.fixedMonthlyEur", _("Fixed costs"), unit="€/" + str(_("month"))),
        _field(v, e, "tariff.feedInCostEurPerKwh", _("Feed-in cost"), unit="€/kWh"),
        _field(v, e, "tariff.capacityTariff", _("Capacity tariff (Flanders)"), "checkbox"),
        _field(
            v, e, "tariff.capacityTariffEurPerKwYear", _("Capacity tariff"), unit="€/kW/" + str(_("year"))
        ),
        _field(
            v,
            e,
            "tariff.capacityPeakFactor",
            _("Quarter-hour peak"),
            unit="×",
            min="1",
            max="4",
            help=_(
                "Billed quarter-hour peak over the highest hour of the month; empty: measured from the studio "
                "profile's 15-minute meter file, else 1.1."
            ),
        ),
        _field(
            v,
            e,
            "tariff.country",
            _("Country"),
            "select",
            choices=[("NL", _("Netherlands")), ("BE", _("Belgium"))],
        ),
    ]
    sections = [
        Section(
            "location",
            _("Location"),
            [
                _field(v, e, "location.lat", _("Latitude"), required=True, min="-90", max="90"),
                _field(v, e, "location.lon", _("Longitude"), required=True, min="-180", max="180"),
            ],
            help=_("Taken from the dossier; weather and sun angles follow from it."),
        ),
        Section(
            "consumption",
            _("Consumption"),
            [
                _field(
                    v,
                    e,
                    "inputMethod",
                    _("How is consumption known?"),
                    "radio",
                    choices=[
                        ("known", _("Yearly use from the energy bill")),
                        ("studio", _("A studio profile")),
                    ],
                ),
                _field(
                    v,
                    e,
                    "yearlyKwh",
                    _("Yearly consumption"),
                    unit="kWh",
                    step="1",
                    help=_("From the annual energy bill"),
                ),
                _field(
                    v,
                    e,
                    "yearlyExportKwh",
                    _("Yearly export (teruglevering)"),
                    unit="kWh",
                    step="1",
                    help=_("Only with existing solar panels; improves the estimate"),
                ),
                _field(
                    v,
                    e,
                    "loadProfile",
                    _("Load profile"),
                    "select",
                    choices=[("standard", _("Standard household")), ("smooth", _("Smooth"))],
                ),
                _field(
                    v,
                    e,
                    "customProfileId",
                    _("Studio profile"),
                    "select",
                    choices=[("", "—")] + [(p.pk, p.name) for p in studio_profiles],
                ),
            ],
        ),
        Section(
            "existingPv",
            _("Existing solar panels"),
            rows=[_row(v, e, "existingPv", i, EXISTING_ROW) for i in row_indexes(v, "existingPv")],
            template_row=_row({}, {}, "existingPv", "__i__", EXISTING_ROW),
            help=_("Orientation: 180° is south, 90° east, 270° west. Tilt 0° is flat."),
        ),
        Section(
            "newPv",
            _("New solar panels"),
            [
                _field(v, e, "pvFixedCostEur", _("Fixed installation cost"), unit="€"),
                _field(v, e, "includePvMaintenanceCosts", _("Include solar maintenance costs"), "checkbox"),
            ],
            rows=[_row(v, e, "newPv", i, NEW_ROW) for i in row_indexes(v, "newPv")],
            template_row=_row(
                {
                    "newPv.__i__.minPanelCount": "0",
                    "newPv.__i__.systemLosses": display(engine_defaults.DEFAULT_SYSTEM_LOSSES_PCT),
                    "newPv.__i__.costPerKwp": display(engine_defaults.DEFAULT_PV_COST_EUR_PER_KWP),
                },
                {},
                "newPv",
                "__i__",
                NEW_ROW,
            ),
            help=_("One row per roof face. The optimiser picks a panel count between min and max."),
        ),
        Section(
            "battery",
            _("Home battery"),
            [
                _field(v, e, "batteryEnabled", _("Consider a home battery"), "checkbox"),
                _field(v, e, "electricBattery.minCapacityKwh", _("Capacity from"), unit="kWh"),
                _field(v, e, "electricBattery.capacityKwh", _("Capacity up to"), unit="kWh"),
                _field(v, e, "electricBattery.minPowerRatingKw", _("Power from"), unit="kW"),
                _field(v, e, "electricBattery.powerRatingKw", _("Power up to"), unit="kW"),
                _field(v, e, "electricBattery.minimumChargeLevel", _("Minimum charge level"), unit="%"),
                _field(v, e, "electricBattery.roundtripEfficiency", _("Round-trip efficiency"), unit="%"),
                _field(v, e, "electricBattery.costPerKwh", _("Cost"), unit="€/kWh"),
                _field(v, e, "electricBattery.fixedCostEur", _("Fixed installation cost"), unit="€"),
                _field(v, e, "electricBattery.standbyW", _("Own standby use"), unit="W"),
                _field(v, e, "electricBattery.lifeYears", _("Lifetime"), unit=str(_("years")), step="1"),
                _field(v, e, "electricBattery.gridCharging", _("May charge from the grid"), "checkbox"),
                _field(v, e, "electricBattery.brandName", _("Brand"), "text"),
                _field(v, e, "electricBattery.modelName", _("Model"), "text"),
                _field(
                    v, e, "includeBatteryMaintenanceCosts", _("Include battery maintenance costs"), "checkbox"
                ),
            ],
            help=_("A range: the optimiser chooses the size within it (0 allows no battery)."),
        ),
        Section("tariff", _("Energy contract"), tariff),
        Section(
            "goal",
            _("Goal"),
            [
                _field(
                    v,
                    e,
                    "goal",
                    _("Optimise for"),
                    "select",
                    choices=[
                        ("cost-savings", _("Lowest cost")),
                        ("self-sufficiency", _("Self-sufficiency")),
                        ("renewable-minimum", _("Minimum renewable share")),
                    ],
                ),
                _field(
                    v,
                    e,
                    "renewableElectricityMinFraction",
                    _("Minimum renewable share"),
                    help=_("A fraction from 0 to 1, e.g. 0.7 for 70 %; only for that goal"),
                    min="0",
                    max="1",
                ),
            ],
        ),
        Section(
            "analysisYears",
            _("Analysis period"),
            [
                _field(
                    v,
                    e,
                    "analysisYears",
                    _("Years"),
                    step="1",
                    min=str(engine_defaults.ANALYSIS_YEARS_RANGE[0]),
                    max=str(engine_defaults.ANALYSIS_YEARS_RANGE[1]),
                ),
            ],
        ),
    ]
    for section in sections:
        for f in section.fields:
            f.when = CONDITIONS.get(f.name, "")
    if editable_steps is not None:
        for section in sections:
            section.editable = section.step in editable_steps
    return sections


def known_names(sections: list[Section]) -> set[str]:
    names = set()
    for section in sections:
        names.update(f.name for f in section.fields)
        for row in section.rows:
            names.update(f.name for f in row)
    return names


def unplaced_errors(sections: list[Section], errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Errors that have no input of their own (e.g. a whole list, or the body): shown above the form."""
    names = known_names(sections)
    return {key: msgs for key, msgs in errors.items() if key not in names}
