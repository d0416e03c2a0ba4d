from django.apps import AppConfig


class PricesConfig(AppConfig):
    name = "apps.prices"
    label = "prices"
    verbose_name = "Day-ahead price years"
