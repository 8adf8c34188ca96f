"""Nova's and Glance's statuses as Perspective's states (original-behaviour.md)."""

from apps.inventory.choices import ImageState, InstanceState

_STATUS = {
    "BUILD": InstanceState.LAUNCHING,
    "PASSWORD": InstanceState.LAUNCHING,
    "ACTIVE": InstanceState.LAUNCHED,
    "RESCUE": InstanceState.LAUNCHED,
    "REBUILD": InstanceState.REBUILDING,
    "SUSPENDED": InstanceState.SUSPENDED,
    "PAUSED": InstanceState.PAUSED,
    "RESIZE": InstanceState.RESIZING,
    "VERIFY_RESIZE": InstanceState.RESIZING,
    "REVERT_RESIZE": InstanceState.RESIZING,
    "REBOOT": InstanceState.REBOOTING,
    "HARD_REBOOT": InstanceState.HARD_REBOOTING,
    "MIGRATING": InstanceState.MIGRATING,
    "SHUTOFF": InstanceState.SHUTOFF,
    "STOPPED": InstanceState.SHUTOFF,
    "SHELVED": InstanceState.SHUTOFF,
    "SHELVED_OFFLOADED": InstanceState.SHUTOFF,
    "ERROR": InstanceState.ERROR,
    "UNKNOWN": InstanceState.ERROR,
}
GONE = frozenset({"DELETED", "SOFT_DELETED"})

# A task in progress says more than the status it runs under (ACTIVE while powering off...).
_TASK = {
    "powering-off": InstanceState.SHUTTING_DOWN,
    "powering-on": InstanceState.STARTING,
    "pausing": InstanceState.PAUSING,
    "unpausing": InstanceState.RESUMING,
    "suspending": InstanceState.SUSPENDING,
    "resuming": InstanceState.RESUMING,
    "rebooting": InstanceState.REBOOTING,
    "reboot_pending": InstanceState.REBOOTING,
    "reboot_started": InstanceState.REBOOTING,
    "rebooting_hard": InstanceState.HARD_REBOOTING,
    "reboot_pending_hard": InstanceState.HARD_REBOOTING,
    "reboot_started_hard": InstanceState.HARD_REBOOTING,
    "rebuilding": InstanceState.REBUILDING,
    "rebuild_block_device_mapping": InstanceState.REBUILDING,
    "rebuild_spawning": InstanceState.REBUILDING,
    "image_snapshot": InstanceState.SNAPSHOTTING,
    "image_snapshot_pending": InstanceState.SNAPSHOTTING,
    "image_pending_upload": InstanceState.SNAPSHOTTING,
    "image_uploading": InstanceState.SNAPSHOTTING,
    "deleting": InstanceState.DELETING,
    "migrating": InstanceState.MIGRATING,
    "scheduling": InstanceState.LAUNCHING,
    "networking": InstanceState.LAUNCHING,
    "block_device_mapping": InstanceState.LAUNCHING,
    "spawning": InstanceState.LAUNCHING,
}

_IMAGE_STATUS = {
    "queued": ImageState.QUEUED,
    "saving": ImageState.SAVING,
    "uploading": ImageState.SAVING,
    "importing": ImageState.SAVING,
    "active": ImageState.SAVED,
    "deactivated": ImageState.SAVED,
    "pending_delete": ImageState.DELETING,
    "deleted": ImageState.DELETING,
    "killed": ImageState.ERROR,
}


def instance_state(status: str, task_state: str | None) -> str | None:
    """The state of a server, or None when Nova reports it deleted."""
    status = (status or "").upper()
    if status in GONE:
        return None
    if task_state and task_state.startswith("resize"):
        return InstanceState.RESIZING
    return _TASK.get(task_state or "") or _STATUS.get(status, InstanceState.ERROR)


def image_state(status: str) -> str:
    return _IMAGE_STATUS.get((status or "").lower(), ImageState.ERROR)
