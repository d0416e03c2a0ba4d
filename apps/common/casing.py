"""Field names between Python (snake_case) and the API and its forms (camelCase), by the API's own rule.

The API camelizes bodies with djangorestframework-camel-case; every other place that names a field for a
client (an error key, a form field, a problem's errors) goes through `to_camel`, so the names always match."""

from djangorestframework_camel_case.util import camelize_re, underscore_to_camel


def to_camel(name: str) -> str:
    """`min_capacity_kwh` → `minCapacityKwh`, exactly as the API's renderer names it."""
    return camelize_re.sub(underscore_to_camel, name)
