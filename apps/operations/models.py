"""Batch actions as recorded: one Action per request, one item per instance or image, the
letters written when an item fails, and the bookkeeping that paces the workers."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.clouds.choices import Operation

from . import plans
from .choices import ItemStatus


class Action(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    operation = models.CharField(max_length=32, choices=Operation)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked; empty for an anonymous API client.",
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    parameters = models.JSONField(
        default=dict, blank=True, help_text="What the whole batch was asked with (flavor, image)."
    )
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When its work was handed to the broker."
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_operation_display()} at {self.requested_at:%Y-%m-%d %H:%M:%S}"


class ActionItem(models.Model):
    """One instance or image of a batch. `target_id` keeps its public id (or the unknown id
    asked for) when the inventory row is gone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="items")
    operation = models.CharField(max_length=32, choices=Operation)
    target_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    # Not indexed alone: a batch writes every index of 1,000s of rows while the client waits;
    # the project is the first column of the index below, and clouds are rarely deleted.
    cloud = models.ForeignKey(
        "inventory.Cloud",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    project = models.ForeignKey(
        "inventory.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    instance = models.ForeignKey(
        "inventory.Instance", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.ForeignKey(
        "inventory.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    previous_state = models.CharField(
        max_length=32, blank=True, help_text="Restored when the cloud refuses the call."
    )
    status = models.CharField(max_length=16, choices=ItemStatus, default=ItemStatus.QUEUED)
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the cloud accepted the call; followed since."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Until when a message in the broker or a worker's try answers for it: the sweep "
            "sends it again once this is RESEND_SECONDS past."
        ),
    )

    class Meta:
        ordering = ["name", "target_id"]
        indexes = [
            models.Index(fields=["project", "status"], name="operations_item_following"),
            # The unfinished items the sweep looks at; finished ones are most of the table.
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=["queued", "running"]),
                name="operations_item_due",
            ),
        ]

    def __str__(self):
        return f"{self.get_operation_display()} {self.name or self.target_id}: {self.status}"

    @property
    def plan(self) -> plans.Plan:
        """What the call needs besides the instance or image (plans.py), from `parameters`."""
        return plans.load(self.operation, self.parameters)


class Notification(models.Model):
    """A letter, as the original sent them: a sentence about a failure. Open until someone
    acknowledges it."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    message = models.TextField()
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    item = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The open letters, newest first (the overview); acknowledged ones are not in it.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="operations_notification_open",
            )
        ]

    def __str__(self):
        return self.message


class CallSlot(models.Model):
    """One of a cloud's ACTIONS_MAX_IN_FLIGHT slots: a call holds one while it runs; a slot
    whose holder died is free again once it expires."""

    cloud = models.ForeignKey("inventory.Cloud", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    holder = models.CharField(max_length=32, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cloud", "number"], name="operations_slot_unique")
        ]

    def __str__(self):
        return f"slot {self.number} of {self.cloud_id}"


class FollowLease(models.Model):
    """Who follows a project's instances now. `seq` numbers the polls of the holder's chain,
    so that a poll delivered twice runs once."""

    project = models.OneToOneField(
        "inventory.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    holder = models.CharField(max_length=32, blank=True)
    seq = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"follower of {self.project_id}"
