"""Sync runs on the wire, and the body of a request for a sync."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.inventory.api.fields import WireDateTimeField
from apps.inventory.api.serializers import WireSerializer

from ..choices import SyncKind, SyncStatus


class SyncRunSerializer(WireSerializer):
    id = serializers.IntegerField()
    cloudId = serializers.CharField(source="cloud.name")
    kind = serializers.ChoiceField(choices=SyncKind.choices)
    status = serializers.ChoiceField(choices=SyncStatus.choices)
    queuedAt = WireDateTimeField(source="queued_at")
    startedAt = WireDateTimeField(source="started_at", required=False)
    finishedAt = WireDateTimeField(source="finished_at", required=False)
    attempts = serializers.IntegerField(help_text="Tries made; a transient cloud error is retried.")
    created = serializers.IntegerField(help_text="Rows the run added to the inventory.")
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.CharField(required=False, help_text="Why the run failed or was skipped.")


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "enum": SyncKind.values},
        "minItems": 1,
        "uniqueItems": True,
    }
)
class KindsField(serializers.ListField):
    """A list of sync kinds, each once (the schema says so: DRF's ListField cannot)."""


class SyncSerializer(serializers.Serializer):
    kinds = KindsField(
        child=serializers.ChoiceField(choices=SyncKind.choices),
        allow_empty=False,
        default=[SyncKind.CATALOG, SyncKind.INSTANCES],
        help_text="What to sync, in this order: `catalog` and `instances` (a full sync) unless "
        "given; `changes` for the instances changed since the last sync.",
    )

    def validate_kinds(self, kinds):
        if len(set(kinds)) < len(kinds):
            raise serializers.ValidationError("A kind appears more than once.")
        return kinds
