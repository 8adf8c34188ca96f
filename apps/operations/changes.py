"""What actions change, told to the history (apps.history): each item's status as it moves
(queued or skipped, running, succeeded or failed) and what the action did to its instance.
Callers pass whole batches, so a batch costs one INSERT however many items it has; the items
come with their action and its user already loaded (select_related)."""

from apps.clouds.choices import Operation
from apps.history.choices import EXISTS, MESSAGE, PRESENT, STATUS, EntityKind
from apps.history.record import Cause, Change, record

from .choices import ItemStatus
from .models import ActionItem, Notification


def cause_of(item: ActionItem) -> Cause:
    user = item.action.requested_by if item.action_id else None
    return Cause(
        action_id=item.action_id,
        item_id=item.id,
        operation=item.operation,
        user=user.username if user else "",
    )


def status_change(item: ActionItem, old: str | None, new: str) -> Change:
    return Change(
        EntityKind.ACTION_ITEM,
        item.id,
        STATUS,
        old,
        new,
        name=item.name or item.target_id,
        cloud_id=item.cloud_id,
        project_id=item.project_id,
        cause=cause_of(item),
    )


def instance_change(item: ActionItem, field: str, old, new, name: str = "") -> Change:
    return Change(
        EntityKind.INSTANCE,
        item.instance_id,
        field,
        old,
        new,
        name=name or item.name,
        cloud_id=item.cloud_id,
        project_id=item.project_id,
        cause=cause_of(item),
    )


def instance_gone(item: ActionItem) -> Change:
    return instance_change(item, EXISTS, PRESENT, None)


def statuses(items: list[ActionItem], old: str | None, new: str) -> None:
    """Records that `items` went from status `old` to `new`."""
    record(status_change(item, old, new) for item in items)


def status(item: ActionItem, old: str | None, new: str) -> None:
    statuses([item], old, new)


def requested(rows: list[ActionItem], interims: list[str | None]) -> None:
    """A batch just recorded: each item's first status, the interim state its instance (or
    image) shows from now on, and the instances a launch adds."""
    events = []
    for row, interim in zip(rows, interims, strict=True):
        events.append(status_change(row, None, row.status))
        if row.status != ItemStatus.QUEUED:
            continue
        if row.operation == Operation.ADD_INSTANCE:
            events.append(instance_change(row, EXISTS, None, PRESENT))
        elif interim and interim != row.previous_state:
            events.append(target_change(row, "state", row.previous_state or None, interim))
    record(events)


def target_change(item: ActionItem, field: str, old, new) -> Change:
    """A change of the item's image when it deletes one, else of its instance."""
    if item.operation != Operation.DELETE_IMAGE:
        return instance_change(item, field, old, new)
    return Change(
        EntityKind.IMAGE,
        item.image_id,
        field,
        old,
        new,
        name=item.name,
        cloud_id=item.cloud_id,
        project_id=item.project_id,
        cause=cause_of(item),
    )


def letter_written(item: ActionItem, notification: Notification) -> None:
    """A failed item's letter, for the history and its stream."""
    record(
        [
            Change(
                EntityKind.NOTIFICATION,
                notification.id,
                MESSAGE,
                None,
                notification.message,
                name=item.name or item.target_id,
                cloud_id=item.cloud_id,
                project_id=item.project_id,
                cause=cause_of(item),
            )
        ]
    )
