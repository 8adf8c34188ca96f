"""Enumerations of batch actions."""

from django.db import models


class ItemStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"


FINISHED = frozenset({ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.SKIPPED})
