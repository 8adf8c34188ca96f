"""Enumerations of the history: what kind of thing changed, and the fields that tell an entity
appeared or disappeared."""

from django.db import models


class EntityKind(models.TextChoices):
    INSTANCE = "instance"
    IMAGE = "image"
    PROJECT = "project"
    FLAVOR = "flavor"
    NETWORK = "network"
    ACTION_ITEM = "action_item"
    SYNC_RUN = "sync_run"
    NOTIFICATION = "notification"


# The kinds that are the inventory (not what happens to it).
INVENTORY_KINDS = (
    EntityKind.INSTANCE,
    EntityKind.IMAGE,
    EntityKind.PROJECT,
    EntityKind.FLAVOR,
    EntityKind.NETWORK,
)


# An entity that appeared is one row with field EXISTS, old value NULL and new value "yes"; one
# that disappeared has old value "yes" and new value NULL.
EXISTS = "exists"
PRESENT = "yes"
# An action item's outcome is one row with field STATUS: queued, running, succeeded, failed or
# skipped, from the status it left; a sync run's the same (queued, running, succeeded, failed,
# skipped).
STATUS = "status"
# A notification (the letter of a failed item) is one row with field MESSAGE, its text new.
MESSAGE = "message"
