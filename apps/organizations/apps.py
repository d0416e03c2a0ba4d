from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "apps.organizations"
    label = "organizations"
    verbose_name = "Organizations"

    def ready(self):
        from apps.organizations import schema  # noqa: F401  (registers the OpenAPI auth extension)
