from rest_framework import serializers

from apps.inventory.api.fields import WireDateTimeField
from apps.inventory.api.serializers import WireSerializer

from ..choices import EntityKind


class EventSerializer(WireSerializer):
    """One changed field, or one status an action item moved to; absent values had none. The
    cause: syncRunId, or actionId, itemId, operation and requestedBy."""

    id = serializers.IntegerField(help_text="Increases with every event: the stream's id.")
    time = WireDateTimeField(timespec="microseconds")
    cloudId = serializers.CharField(source="cloud_name", required=False)
    projectId = serializers.UUIDField(source="project_id", required=False)
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    entityId = serializers.CharField(source="entity_id")
    name = serializers.CharField(required=False, help_text="The entity's name at the time.")
    field = serializers.CharField()
    oldValue = serializers.CharField(source="old_value", required=False)
    newValue = serializers.CharField(source="new_value", required=False)
    syncRunId = serializers.IntegerField(source="sync_run_id", required=False)
    actionId = serializers.UUIDField(source="action_id", required=False)
    itemId = serializers.UUIDField(source="item_id", required=False)
    operation = serializers.CharField(required=False)
    requestedBy = serializers.CharField(source="user", required=False)
