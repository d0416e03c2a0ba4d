"""The one snake_case → camelCase rule of the product: the API's wire names (the renderer's
``djangorestframework_camel_case``), so a name built here (an error's field, a report key) is the name an
integrator sees on the wire."""

from djangorestframework_camel_case.util import camelize_re, underscore_to_camel


def camel(name: str) -> str:
    """``"yearly_export_kwh"`` → ``"yearlyExportKwh"``, as the API renderer camelizes keys."""
    return camelize_re.sub(underscore_to_camel, name)
