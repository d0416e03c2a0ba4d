"""Fields shared by the /v1 serializers."""

from datetime import UTC

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class PercentField(serializers.FloatField):
    """A percentage on the 0–100 scale [%].

    A value strictly between 0 and 1 is refused: it is almost always a fraction sent where a percent is
    expected (0.92 for 92 %), and taking it literally silently changes the result (a 0.92 % round-trip
    efficiency drops the battery). The message says what to send.
    """

    default_error_messages = {
        "fraction": _("percent, 0–100: {value} looks like a fraction; send {percent} for {percent} %."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if 0 < value < 1:
            self.fail("fraction", value=f"{value:g}", percent=f"{value * 100:g}")
        return value


def api_datetime(value) -> str | None:
    """The seed's timestamp form: UTC with milliseconds and Z (2026-02-10T12:00:00.000Z)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class UtcDateTimeField(serializers.DateTimeField):
    """Read side of every /v1 timestamp, in the seed's form (see `api_datetime`)."""

    def to_representation(self, value):
        return api_datetime(value) if value else None


UTC_DATETIME_MAPPING = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.DateTimeField: UtcDateTimeField,
}
"""`serializer_field_mapping` for ModelSerializers of the API: model timestamps in the seed's form."""
