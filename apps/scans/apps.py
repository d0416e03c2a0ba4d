from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "apps.scans"
    label = "scans"
    verbose_name = "Scans"
