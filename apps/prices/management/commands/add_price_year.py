from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.prices import services, sources


class Command(BaseCommand):
    help = (
        "Add a complete year of hourly day-ahead prices from a live source (EnergyZero for NL, or ENTSO-E "
        "via entsoe-py with ENTSOE_API_TOKEN for NL/BE), validated (every hour of the local calendar year, "
        "EUR/MWh, UTC); scans can then choose it as tariff.priceYear."
    )
    stealth_options = ("energyzero_fetcher", "entsoe_client")  # recorded bodies in tests

    def add_arguments(self, parser):
        parser.add_argument("--country", choices=["NL", "BE"], required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--source", choices=["energyzero", "entsoe"], default="energyzero")
        parser.add_argument("--replace", action="store_true", help="Overwrite a stored year.")

    def handle(self, *args, country, year, source, replace, **options):
        energyzero_fetcher = options.get("energyzero_fetcher")
        entsoe_client = options.get("entsoe_client")
        try:
            if source == "energyzero":
                if country != "NL":
                    raise ValueError("EnergyZero publishes NL prices only; use --source entsoe for BE")
                series = sources.energyzero_year(year, energyzero_fetcher)
                label = "EPEX SPOT day-ahead via EnergyZero public API"
            else:
                token = getattr(settings, "ENTSOE_API_TOKEN", "")
                series = sources.entsoe_year(country, year, token, entsoe_client)
                label = "ENTSO-E Transparency Platform day-ahead (entsoe-py)"
            row = services.store_year(country, year, series, f"{label}, {year}", replace=replace)
        except ValueError as exc:
            raise CommandError(f"{country} {year}: {exc}") from exc
        self.stdout.write(
            f"stored {row.country} {row.year}: {len(row.eur_per_mwh)} hours, mean {row.mean_eur_per_mwh:.2f} "
            f"EUR/MWh, {row.negative_hours} hours below zero"
        )
