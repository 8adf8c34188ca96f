"""Enumerations of the inventory, lower-case on the wire as in the original."""

from django.db import models


class CloudType(models.TextChoices):
    OPENSTACK = "openstack", "OpenStack"


class Interface(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"
    ADMIN = "admin", "Admin"


class InstanceState(models.TextChoices):
    QUEUED = "queued"
    LAUNCHING = "launching"
    LAUNCHED = "launched"
    REBOOTING = "rebooting"
    HARD_REBOOTING = "hard_rebooting"
    SHUTTING_DOWN = "shutting_down"
    SHUTOFF = "shutoff"
    STARTING = "starting"
    PAUSING = "pausing"
    PAUSED = "paused"
    RESUMING = "resuming"
    SUSPENDING = "suspending"
    SUSPENDED = "suspended"
    RESIZING = "resizing"
    REBUILDING = "rebuilding"
    MIGRATING = "migrating"
    SNAPSHOTTING = "snapshotting"
    DELETING = "deleting"
    ERROR = "error"


# The states an instance shows between an accepted batch action and the cloud's answer.
INTERIM_STATES = frozenset(
    {
        InstanceState.QUEUED,
        InstanceState.REBOOTING,
        InstanceState.HARD_REBOOTING,
        InstanceState.SHUTTING_DOWN,
        InstanceState.STARTING,
        InstanceState.PAUSING,
        InstanceState.RESUMING,
        InstanceState.SUSPENDING,
        InstanceState.RESIZING,
        InstanceState.REBUILDING,
        InstanceState.SNAPSHOTTING,
        InstanceState.DELETING,
    }
)


class ImageState(models.TextChoices):
    QUEUED = "queued"
    SAVING = "saving"
    SAVED = "saved"
    DELETING = "deleting"
    ERROR = "error"


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer (GET endpoints and /query)"
    OPERATOR = "operator", "Operator (also every batch action)"
