"""Operation names, as the original's /operations returned them."""

from django.db import models


class Operation(models.TextChoices):
    LIST_PROJECTS = "listProjects"
    LIST_INSTANCES = "listInstances"
    LIST_IMAGES = "listImages"
    ADD_INSTANCE = "addInstance"
    DELETE_INSTANCE = "deleteInstance"
    REBOOT_INSTANCE = "rebootInstance"
    HARD_REBOOT_INSTANCE = "hardRebootInstance"
    START_INSTANCE = "startInstance"
    SHUTDOWN_INSTANCE = "shutdownInstance"
    PAUSE_INSTANCE = "pauseInstance"
    UNPAUSE_INSTANCE = "unpauseInstance"
    SUSPEND_INSTANCE = "suspendInstance"
    RESUME_INSTANCE = "resumeInstance"
    RESIZE_INSTANCE = "resizeInstance"
    REBUILD_INSTANCE = "rebuildInstance"
    RENAME_INSTANCE = "renameInstance"
    MIGRATE_INSTANCE = "migrateInstance"
    ADD_IMAGE = "addImage"
    DELETE_IMAGE = "deleteImage"


class SyncKind(models.TextChoices):
    CATALOG = "catalog", "Catalog (projects, flavors, networks, keypairs, zones, quotas, images)"
    INSTANCES = "instances", "All instances"
    CHANGES = "changes", "Instances changed since the last sync"


class SyncStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
