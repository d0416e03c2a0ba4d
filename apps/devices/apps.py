from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "apps.devices"
    label = "devices"
    verbose_name = "Device links"

    def ready(self) -> None:
        from django.core.checks import register

        from apps.devices.checks import check_token_key, check_vendor_mode
        from apps.devices.clients.http import install_log_redaction

        register(check_token_key, "security", deploy=True)
        register(check_vendor_mode, "security", deploy=True)

        # Request logs (runserver's access log, gunicorn's) would otherwise carry the OAuth callback's
        # ?code=… and vendor query secrets; the clients' filter masks them.
        for name in ("django.server", "django.request", "gunicorn.access"):
            install_log_redaction(name)
