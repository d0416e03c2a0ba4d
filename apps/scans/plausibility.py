"""Inputs that are valid but unlikely for a household (a typo such as 35 for 3,500 kWh, a price in cents):
the scan form asks for confirmation instead of silently running the scan. The thresholds are the product's
rule, so they live with the scans, not in the portal."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from apps.common.casing import to_camel

YEARLY_KWH_PLAUSIBLE = (500.0, 50_000.0)
"""A household's yearly consumption outside this range [kWh/yr] is asked to be confirmed: below 500 is
less than a fridge and standby, above 50,000 is a farm or a business (CBS: Dutch homes use ~2,500-3,500)."""
PRICE_PLAUSIBLE_MAX_EUR_PER_KWH = 2.0
"""A price above this [EUR/kWh] is asked to be confirmed: even the 2022 crisis peak was about 0.80-1.00."""
PRICE_FIELDS = ("flat_eur_per_kwh", "feed_in_eur_per_kwh", "supplier_markup_eur_per_kwh")


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def implausible(body: dict) -> dict[str, list[str]]:
    """Field path → message for each valid but unlikely input of a scan body (snake_case)."""
    found: dict[str, list[str]] = {}
    yearly = _number(body.get("yearly_kwh"))
    lo, hi = YEARLY_KWH_PLAUSIBLE
    if yearly is not None and not lo <= yearly <= hi:
        found["yearlyKwh"] = [
            str(
                _(
                    "%(kwh)s kWh a year is unusual for a household (expected %(lo)s–%(hi)s kWh). Check the "
                    "number, or confirm it below."
                )
                % {
                    "kwh": number_format(yearly, 0, force_grouping=True),
                    "lo": number_format(lo, 0, force_grouping=True),
                    "hi": number_format(hi, 0, force_grouping=True),
                }
            )
        ]
    tariff = body.get("tariff") or {}
    for name in PRICE_FIELDS:
        price = _number(tariff.get(name))
        if price is not None and price > PRICE_PLAUSIBLE_MAX_EUR_PER_KWH:
            found["tariff." + to_camel(name)] = [
                str(
                    _(
                        "€ %(price)s per kWh is more than € %(max)s: check the number (a price in cents?), "
                        "or confirm it below."
                    )
                    % {
                        "price": number_format(price, 2),
                        "max": number_format(PRICE_PLAUSIBLE_MAX_EUR_PER_KWH, 2),
                    }
                )
            ]
    return found
