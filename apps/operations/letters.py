"""The letters of the original: one sentence per failed item, kept as a Notification."""

from apps.clouds.choices import Operation

from . import changes
from .models import ActionItem, Notification

_SUBJECTS = {
    Operation.ADD_INSTANCE: "launch instance {name} ({target})",
    Operation.DELETE_INSTANCE: "delete instance {name} ({target})",
    Operation.REBOOT_INSTANCE: "reboot instance {name} ({target})",
    Operation.HARD_REBOOT_INSTANCE: "hard reboot instance {name} ({target})",
    Operation.START_INSTANCE: "start instance {name} ({target})",
    Operation.SHUTDOWN_INSTANCE: "shut down instance {name} ({target})",
    Operation.PAUSE_INSTANCE: "pause instance {name} ({target})",
    Operation.UNPAUSE_INSTANCE: "unpause instance {name} ({target})",
    Operation.SUSPEND_INSTANCE: "suspend instance {name} ({target})",
    Operation.RESUME_INSTANCE: "resume instance {name} ({target})",
    Operation.RESIZE_INSTANCE: (
        "resize instance {name} ({target}) to flavor {flavorName} ({flavorId})"
    ),
    Operation.REBUILD_INSTANCE: (
        "rebuild instance {name} ({target}) with image {imageName} ({imageId})"
    ),
    Operation.RENAME_INSTANCE: "rename instance {name} ({target}) to {newName}",
    Operation.ADD_IMAGE: (
        "create image {name} ({target}) of instance {instanceName} ({instanceId})"
    ),
    Operation.DELETE_IMAGE: "delete image {name} ({target})",
}


def letter(item: ActionItem, reason: str) -> str:
    """`Failed to resize instance NAME (ID) to flavor F (FID): reason`."""
    details = {**item.action.parameters, **item.plan.as_json()}
    subject = _SUBJECTS[item.operation].format(name=item.name, target=item.target_id, **details)
    return f"Failed to {subject}: {reason}"


def write(item: ActionItem, reason: str) -> Notification:
    """Keeps the letter, and tells the history (and so the event stream) of it."""
    notification = Notification.objects.create(
        message=letter(item, reason), action_id=item.action_id, item=item
    )
    changes.letter_written(item, notification)
    return notification
