"""Shared helpers of the portal tests (imported by tests here and in tests/e2e; a `test_*.py` module is never
imported by another)."""

import re
from datetime import datetime, timedelta

# Phrases seen in the Dutch screens before (issue 19) and English UI words that must be translated.
ENGLISH_LEFTOVERS = (
    "built-in reference year",
    "built-in price year",
    "Sizing method",
    "Engine version",
    "tolerance",
    "greedy",
    "Yearly savings",
    "Payback",
    "Self-sufficiency",
    "Assumptions",
    "Without battery",
    "With battery",
    "Download PDF",
    "Dossiers and scans",
    "Please correct",
    "Not found",
    "per year",
    "years",
)
ENGLISH_FORMATS = (
    re.compile(
        r"\b\d+\.\d{1,2}\s?(kWp|kWh|kW|%|jaar)(?!\w)"
    ),  # 4.2 kWp: Dutch writes 4,2 kWp (3.749 kWh is grouping)
    re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"),  # 30 Nov 2026
    re.compile(r"\b20\d\d-\d\d-\d\d\b"),  # ISO dates
    re.compile(r"€\s?[1-9]\d{0,2},\d{3}(?!\d)"),  # € 1,234 (English grouping; € 0,280 is Dutch)
)


def english_leftovers(text: str) -> list[str]:
    """The known English phrases and English number/date formats found in a Dutch page's visible text."""
    found = [phrase for phrase in ENGLISH_LEFTOVERS if phrase.lower() in text.lower()]
    for pattern in ENGLISH_FORMATS:
        found += [match.group(0) for match in pattern.finditer(text)]
    return found


# Every portal list page, rendered for the owner and guarded by the production security checks.
LIST_PAGES = [
    "portal:dashboard",
    "portal:dossier_index",
    "portal:dossier_new",
    "portal:settings",
    "portal:member_index",
    "portal:api_key_index",
    "portal:branding",
    "portal:webhook_index",
]


def price_csv(values, *, header="datum;prijs (EUR/MWh)", stamp=True) -> bytes:
    """Hourly day-ahead prices as a Dutch export (decimal comma), one row per hour."""
    rows = [header] if header else []
    for hour, value in enumerate(values):
        text = f"{value:.2f}".replace(".", ",")  # a Dutch export
        rows.append(f"2025-01-01T{hour % 24:02d}:00;{text}" if stamp else text)
    return "\n".join(rows).encode()


def generic_meter_csv(days: int = 10) -> bytes:
    """A generic semicolon meter export with hourly Dutch-decimal readings from 3 March 2025."""
    start = datetime(2025, 3, 3)
    rows = [
        f"{(start + timedelta(hours=h)):%Y-%m-%d %H:%M};{0.2 + (h % 24) * 0.02:.3f}".replace(".", ",")
        for h in range(days * 24)
    ]
    return ("Tijdstip;Verbruik kWh\n" + "\n".join(rows) + "\n").encode()


def scan_form_post(**changes):
    """A valid new-scan form POST (flat contract, a battery range, one roof); `None` drops a field."""
    data = {
        "location.lat": "52.09",
        "location.lon": "5.12",
        "inputMethod": "known",
        "yearlyKwh": "3500",
        "loadProfile": "standard",
        "tariff.type": "flat",
        "tariff.flatEurPerKwh": "0,28",  # a Dutch decimal comma is accepted
        "tariff.feedInEurPerKwh": "0.05",
        "tariff.taxesIncluded": "on",
        "tariff.netMetering": "auto",
        "tariff.country": "NL",
        "batteryEnabled": "on",
        "electricBattery.minCapacityKwh": "0",
        "electricBattery.capacityKwh": "10",
        "electricBattery.minPowerRatingKw": "0",
        "electricBattery.powerRatingKw": "5",
        "goal": "cost-savings",
        "analysisYears": "25",
        "newPv.0.minPanelCount": "0",
        "newPv.0.maxPanelCount": "12",
        "newPv.0.panelPowerWatts": "430",
        "newPv.0.tiltAngle": "35",
        "newPv.0.orientationAngle": "180",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
