"""The API's JSON renderer: djangorestframework-camel-case's output, byte for byte, at a fraction of its cost.

Why: the library camelizes every key of every response with a regular-expression substitution and rebuilds
each level as an OrderedDict, through several isinstance checks per value: a tenth of a list request's CPU
and a fifth of a report read's, profiled (issue 18, benchmarks/api_bench.py). Here a key's camelCase form is
computed once per process (the API has a small, fixed vocabulary of keys) and plain JSON values take a
direct path. Anything else (lazy translations, sets, non-string keys, …) is handed to the library's own
`camelize`, so the result is always the library's.
"""

from functools import lru_cache

from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from djangorestframework_camel_case.util import camelize as library_camelize
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel

_PLAIN = (str, int, float, bool, type(None))


@lru_cache(maxsize=4096)
def camel_key(key: str) -> str:
    return camelize_re.sub(underscore_to_camel, key) if "_" in key else key


def camelize(data):
    """The library's `camelize` with its default options (the project sets none)."""
    if type(data) in _PLAIN:
        return data
    if isinstance(data, dict):
        if not all(type(key) is str for key in data):
            return library_camelize(data)
        return {camel_key(key): camelize(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [camelize(item) for item in data]
    return library_camelize(data)


class FastCamelCaseJSONRenderer(CamelCaseJSONRenderer):
    def render(self, data, *args, **kwargs):
        if self.json_underscoreize.get("ignore_fields") or self.json_underscoreize.get("ignore_keys"):
            return super().render(data, *args, **kwargs)  # options the fast path does not implement
        return super(CamelCaseJSONRenderer, self).render(camelize(data), *args, **kwargs)
