"""Which scan inputs belong to which choice of POST /v1/scans: the flow rules in one place.

The API serializer rejects an input of a choice not taken (a flat price on a dynamic contract, a yearly
consumption next to a studio profile). The portal's form shows every input and lets JavaScript hide the
ones that do not apply, so its POST carries them all; it leaves them out with `without_other_choices`
before calling the same submission service, instead of re-encoding the rules."""

from __future__ import annotations

# Tariff leaves of one contract type only (snake_case, inside `tariff`).
FLAT_ONLY = ("flat_eur_per_kwh", "feed_in_eur_per_kwh", "taxes_included")
DYNAMIC_ONLY = (
    "day_ahead_eur_per_kwh",
    "price_year",
    "supplier_markup_eur_per_kwh",
    "feed_in_fee_eur_per_kwh",
)
# Tariff leaves that only mean something with the Belgian capacity tariff on (`capacity_tariff` true).
CAPACITY_ONLY = ("capacity_peak_factor",)
# Consumption inputs of one input method only (top level).
KNOWN_ONLY = ("yearly_kwh", "yearly_export_kwh", "load_profile")
STUDIO_ONLY = ("custom_profile_id",)

_NOT_FOR_METHOD = {"known": STUDIO_ONLY, "studio": KNOWN_ONLY}
_NOT_FOR_TARIFF = {"flat": DYNAMIC_ONLY, "dynamic": FLAT_ONLY}


def without_other_choices(body: dict) -> dict:
    """A snake_case scan body without the inputs of the input method and tariff type not chosen (and the
    capacity tariff's inputs when it is off). An unknown choice keeps everything, so the serializer names
    the bad choice itself."""
    dropped = _NOT_FOR_METHOD.get(body.get("input_method", "known"), ())
    kept = {name: value for name, value in body.items() if name not in dropped}
    tariff = kept.get("tariff")
    if isinstance(tariff, dict):
        other = _NOT_FOR_TARIFF.get(tariff.get("type", "flat"), ())
        if not tariff.get("capacity_tariff"):
            other = (*other, *CAPACITY_ONLY)
        kept["tariff"] = {name: value for name, value in tariff.items() if name not in other}
    return kept
