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


# An entity that appeared is one row with field EXISTS, old value NULL and new value "yes"; one
# that disappeared has old value "yes" and new value NULL.
EXISTS = "exists"
PRESENT = "yes"
# An action item's outcome is one row with field STATUS: queued, running, succeeded, failed or
# skipped, from the status it left.
STATUS = "status"
