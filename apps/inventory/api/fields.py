"""Field types of the wire format."""

from datetime import UTC

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class WireDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with an explicit offset and whole seconds: 2016-12-20T13:58:56+00:00
    (`timespec="microseconds"` where a client compares times finer than that)."""

    # Named, rather than the active time zone that DRF would look up for every value (slow).
    timezone = UTC

    def __init__(self, *args, timespec: str = "seconds", **kwargs):
        super().__init__(*args, **kwargs)
        self.timespec = timespec

    def to_representation(self, value):
        return self.enforce_timezone(value).isoformat(timespec=self.timespec)


class MetadataEntrySerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField(allow_blank=True)


class MetadataSerializer(serializers.Serializer):
    """Key/value pairs."""

    # MetadataField's shape, for the OpenAPI schema.
    entry = MetadataEntrySerializer(many=True)


@extend_schema_field(MetadataSerializer)
class MetadataField(serializers.Field):
    """A list of key/value rows as the original's `{"entry": [{"key": ..., "value": ...}]}`."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return {"entry": [{"key": item.key, "value": item.value} for item in value]}
