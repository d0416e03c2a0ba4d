"""The API's JSON renderer: djangorestframework-camel-case's output, byte for byte, at a fraction of its cost.

Why: the library camelizes every key of every response with a regular-expression substitution and rebuilds
each level as an OrderedDict, through several isinstance checks per value: a tenth of a list request's CPU
and a fifth of a report read's, profiled (issue 18, benchmarks/api_bench.py). Here a key's camelCase form is
computed once per process (the API has a small, fixed vocabulary of keys) and plain JSON values take a
direct path. Anything else (lazy translations, sets, non-string keys, …) is handed to the library's own
`camelize`, so the result is always the library's.
"""

from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from djangorestframework_camel_case.util import camelize as library_camelize
from djangorestframework_camel_case.util import camelize_re, underscore_to_camel

_PLAIN = (str, int, float, bool, type(None))


_CAMEL_KEYS: dict[str, str] = {}
_CAMEL_KEYS_MAX = 4096  # bounded: keys a caller sent (echoed inputs) are camelized but not kept beyond this


def camel_key(key: str) -> str:
    camel = _CAMEL_KEYS.get(key)
    if camel is None:
        camel = camelize_re.sub(underscore_to_camel, key) if "_" in key else key
        if len(_CAMEL_KEYS) < _CAMEL_KEYS_MAX:
            _CAMEL_KEYS[key] = camel
    return camel


def camelize(data):
    """The library's `camelize` with its default options (the project sets none). Plain values are passed
    through where they are met, without a call each (a report has a few hundred of them)."""
    if type(data) in _PLAIN:
        return data
    if isinstance(data, dict):
        camelized = {}
        for key, value in data.items():
            if type(key) is not str:
                return library_camelize(data)
            camelized[camel_key(key)] = value if type(value) in _PLAIN else camelize(value)
        return camelized
    if isinstance(data, list | tuple):
        return [item if type(item) in _PLAIN else camelize(item) for item in data]
    return library_camelize(data)


class FastCamelCaseJSONRenderer(CamelCaseJSONRenderer):
    def render(self, data, *args, **kwargs):
        if self.json_underscoreize.get("ignore_fields") or self.json_underscoreize.get("ignore_keys"):
            return super().render(data, *args, **kwargs)  # options the fast path does not implement
        return super(CamelCaseJSONRenderer, self).render(camelize(data), *args, **kwargs)
