"""The history: one row per changed field of an inventory entity, or per transition of an
action item, with its cause. Its ids increase with every row: the event stream's ids."""

from django.db import models
from django.utils import timezone

from .choices import EntityKind


class EventQuerySet(models.QuerySet):
    def for_wire(self):
        """With `cloud_name`, which the wire shape shows as cloudId (as the inventory does)."""
        from apps.inventory.models import Cloud

        name = Cloud.objects.filter(id=models.OuterRef("cloud_id")).values("name")[:1]
        return self.annotate(cloud_name=models.Subquery(name))


class Event(models.Model):
    """Cloud, project and entity are plain ids, not foreign keys: the history outlives what it
    tells about, and neither deleting a cloud nor pruning a million rows cascades."""

    time = models.DateTimeField(default=timezone.now)
    cloud_id = models.UUIDField(null=True, blank=True)
    project_id = models.UUIDField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=EntityKind)
    entity_id = models.CharField(max_length=64, help_text="The entity's public id.")
    name = models.CharField(max_length=255, blank=True, help_text="Its name at the time.")
    field = models.CharField(max_length=32)
    old_value = models.TextField(null=True, blank=True)  # noqa: DJ001 (NULL: there was none)
    new_value = models.TextField(null=True, blank=True)  # noqa: DJ001
    # The cause: the sync run that saw the change, or the action (its item, operation, user).
    sync_run_id = models.BigIntegerField(null=True, blank=True)
    action_id = models.UUIDField(null=True, blank=True)
    item_id = models.UUIDField(null=True, blank=True)
    operation = models.CharField(max_length=32, blank=True)
    user = models.CharField(max_length=150, blank=True, help_text="Who asked for the action.")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["time"], name="history_event_time"),  # retention, since
            models.Index(fields=["project_id", "id"], name="history_event_project"),
            models.Index(fields=["entity_id", "id"], name="history_event_entity"),  # timeline
            models.Index(
                fields=["action_id", "id"],
                condition=models.Q(action_id__isnull=False),
                name="history_event_action",
            ),
        ]

    def __str__(self):
        change = f"{self.field}: {self.old_value} → {self.new_value}"
        return f"{self.kind} {self.name or self.entity_id} {change}"
