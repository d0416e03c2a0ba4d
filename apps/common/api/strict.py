"""Strict JSON types for /v1 request bodies: what the schema declares is what is accepted.

DRF coerces on input ("3500" → 3500.0, true → 1.0, "yes" → True, 12 → "12"). A generated client never
needs that, and it hides bugs (`yearlyKwh: true` ran a scan on 1 kWh/year). `StrictTypesMixin` checks
every raw value against its declared field type before DRF converts, walking nested serializers and
lists, so a field added later is strict too. It is on when the serializer's context has
`strict_types=True` (the JSON API); portal forms, which post text, leave it off.
"""

from rest_framework import serializers

STRICT_TYPES = "strict_types"

_NUMBER_FIELDS = (serializers.FloatField, serializers.IntegerField, serializers.DecimalField)
_TEXT_FIELDS = (serializers.CharField, serializers.ChoiceField)


def _type_error(field, value) -> str | None:
    """The message for a raw JSON value of the wrong type for `field`, or None when the type fits."""
    if value is None:
        return None  # null handling (allow_null) stays with the field
    if isinstance(field, _NUMBER_FIELDS):
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "an integer" if isinstance(field, serializers.IntegerField) else "a number"
            return f"Must be {kind} (JSON number), not {_json_type(value)}."
    elif isinstance(field, serializers.BooleanField):
        if not isinstance(value, bool):
            return f"Must be true or false (JSON boolean), not {_json_type(value)}."
    elif isinstance(field, _TEXT_FIELDS):
        if not isinstance(value, str):
            return f"Must be a string, not {_json_type(value)}."
    return None


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def type_errors(field, value):
    """DRF-shaped error detail (dict / list / [message]) for every mistyped value under `field`, or None."""
    if value is None:
        return None
    if isinstance(field, serializers.ListSerializer):
        return _list_errors(field.child, value)
    if isinstance(field, serializers.ListField):
        return _list_errors(field.child, value)
    if isinstance(field, serializers.Serializer):
        if not isinstance(value, dict):
            return None  # DRF's own "expected a dictionary" message
        errors = {}
        for name, child in field.fields.items():
            if child.read_only or name not in value:
                continue
            found = type_errors(child, value[name])
            if found:
                errors[name] = found
        return errors or None
    message = _type_error(field, value)
    return [message] if message else None


def _list_errors(child, value):
    if not isinstance(value, list):
        return None  # DRF's own "expected a list" message
    found = [type_errors(child, item) or {} for item in value]
    return found if any(found) else None


class StrictTypesMixin:
    """Serializer mixin: 400 with every mistyped field (dotted paths) before DRF coerces anything."""

    def to_internal_value(self, data):
        if self.context.get(STRICT_TYPES) and self.parent is None:
            errors = type_errors(self, data)
            if errors:
                # report the other fields' problems too, so a client fixes everything in one go
                rest = {key: value for key, value in data.items() if key not in errors}
                try:
                    super().to_internal_value(rest)
                except serializers.ValidationError as exc:
                    if isinstance(exc.detail, dict):
                        errors = {**{k: v for k, v in exc.detail.items() if k not in errors}, **errors}
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
