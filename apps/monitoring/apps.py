from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "apps.monitoring"
    label = "monitoring"
    verbose_name = "Production monitoring"

    def ready(self) -> None:
        from apps.monitoring import receivers  # noqa: F401  (connects to devices' readings_synced)
