"""Following accepted items to their end state: one changes-since listing of a project's region
per poll, however many of its instances are followed, and the inventory updated in bulk."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.clouds.choices import Operation
from apps.clouds.drivers import Driver
from apps.clouds.drivers.base import CHANGES_MARGIN, TRANSIENT_ERRORS, DriverError, ServerStatus
from apps.history.record import record
from apps.inventory.choices import ImageState, InstanceState
from apps.inventory.models import Image, Instance

from . import changes, outcomes
from .choices import ItemStatus
from .connections import driver_for
from .models import ActionItem, FollowLease
from .pacing import call_slot
from .rules import BUSY

log = logging.getLogger(__name__)


@dataclass
class Settled:
    """What a poll learnt about an item: its end (status None: still on its way) and the
    instance's state now."""

    status: str | None = None
    reason: str = ""
    state: str | None = None
    gone: bool = False
    last_updated: datetime | None = None  # the cloud's time of the instance's last change


def followed(project_id):
    return ActionItem.objects.filter(
        project_id=project_id, status=ItemStatus.RUNNING, accepted_at__isnull=False
    )


def unfollowed_projects() -> list:
    """Projects with accepted items and no live follower (its chain was lost)."""
    live = FollowLease.objects.exclude(holder="").filter(expires_at__gte=timezone.now())
    running = ActionItem.objects.filter(status=ItemStatus.RUNNING, accepted_at__isnull=False)
    projects = running.exclude(project_id__in=live.values("project_id"))
    return list(projects.values_list("project_id", flat=True).distinct())


def poll(project_id) -> int:
    """One poll of the project's followed items; returns how many are still followed."""
    items = list(
        followed(project_id).select_related("action__requested_by", "cloud", "project", "instance")
    )
    if not items:
        return 0
    cloud, region = items[0].cloud, items[0].project.region
    with call_slot(cloud.id) as held:
        if held:
            _poll(driver_for(cloud), region, items)
    return _expire(followed(project_id))


def _poll(driver: Driver, region: str, items: list[ActionItem]) -> None:
    since = min(item.accepted_at for item in items) - CHANGES_MARGIN
    asked_at = timezone.now()
    try:
        statuses = {s.real_id: s for s in driver.server_statuses(region, since)}
    except DriverError as exc:
        log.warning("Following instances in %s: %s", region, exc)
        return
    settled = {}
    for item in items:
        status = statuses.get(item.instance.real_id) if item.instance else None
        try:
            settled[item] = _settle(driver, region, item, status)
            settled[item].last_updated = status and status.last_updated
        except TRANSIENT_ERRORS as exc:
            log.warning("Following %s: %s", item, exc)
        except DriverError as exc:
            settled[item] = Settled(ItemStatus.FAILED, str(exc))
    _record_settled(settled, asked_at)


def _settle(driver: Driver, region: str, item: ActionItem, status: ServerStatus | None) -> Settled:
    if item.instance is None or (status and status.state is None):
        if item.operation == Operation.DELETE_INSTANCE:
            return Settled(ItemStatus.SUCCEEDED, gone=True)
        return Settled(ItemStatus.FAILED, "The instance was deleted", gone=True)
    if status is None:
        return Settled()  # not changed since; Perspective's and the cloud's clocks may differ
    if item.operation == Operation.RESIZE_INSTANCE and status.awaits_confirmation:
        return _awaiting_confirmation(driver, region, item, status)
    if status.state in BUSY:
        return Settled(state=status.state)
    if status.state == InstanceState.ERROR:
        reason = status.fault or "The instance went into error"
        return Settled(ItemStatus.FAILED, reason, state=status.state)
    if item.operation == Operation.ADD_IMAGE:
        return _snapshot_saved(driver, region, item, status)
    return Settled(ItemStatus.SUCCEEDED, state=status.state)


def _awaiting_confirmation(
    driver: Driver, region: str, item: ActionItem, status: ServerStatus
) -> Settled:
    if not settings.ACTIONS_CONFIRM_RESIZE:
        return Settled(ItemStatus.SUCCEEDED, "The resize awaits confirmation", status.state)
    if not item.plan.confirmed:
        driver.confirm_resize(region, item.instance.real_id)
        item.parameters = replace(item.plan, confirmed=True).as_json()
        ActionItem.objects.filter(pk=item.pk).update(parameters=item.parameters)
    return Settled(state=status.state)


def _snapshot_saved(driver: Driver, region: str, item: ActionItem, status: ServerStatus) -> Settled:
    """The instance is done with its snapshot: the image tells how it went."""
    image = Image.objects.filter(pk=item.image_id).values_list("real_id", flat=True).first()
    record = driver.image(region, image)
    Image.objects.filter(pk=item.image_id).update(
        state=record.state,
        checksum=record.checksum,
        created=record.created,
        last_updated=record.last_updated,
    )
    if record.state == ImageState.SAVED:
        return Settled(ItemStatus.SUCCEEDED, state=status.state)
    if record.state == ImageState.ERROR:
        return Settled(ItemStatus.FAILED, "The image could not be saved", status.state)
    return Settled(state=status.state)


@transaction.atomic
def _record_settled(settled: dict[ActionItem, Settled], asked_at: datetime) -> None:
    """The instances' new states (the cloud's, as asked at `asked_at`) in one bulk update,
    plainly finished items in one more, and what both changed in the history in one INSERT."""
    changed, history = [], []
    for item, result in settled.items():
        instance = item.instance
        if instance is None or result.state is None:
            continue
        before = {name: getattr(instance, name) for name in _FOLLOWED_FIELDS}
        instance.state = result.state
        instance.last_updated = result.last_updated or instance.last_updated
        _apply_end(item, result, instance)
        if {name: getattr(instance, name) for name in _FOLLOWED_FIELDS} != before:
            instance.observed_at = asked_at  # a listing begun before cannot undo it
            changed.append(instance)
            history += _instance_changes(item, before)
    Instance.objects.bulk_update(
        changed, ["state", "flavor", "image", "last_updated", "observed_at"], batch_size=500
    )
    gone = [item for item, result in settled.items() if result.gone and item.instance_id]
    Instance.objects.filter(id__in=[item.instance_id for item in gone]).delete()
    history += [changes.instance_gone(item) for item in gone]
    plain = [
        item
        for item, result in settled.items()
        if result.status == ItemStatus.SUCCEEDED and not result.reason
    ]
    ActionItem.objects.filter(id__in=[item.id for item in plain]).update(
        status=ItemStatus.SUCCEEDED, finished_at=timezone.now()
    )
    history += [changes.status_change(i, ItemStatus.RUNNING, ItemStatus.SUCCEEDED) for i in plain]
    record(history)
    for item, result in settled.items():
        if result.status == ItemStatus.FAILED:
            outcomes.fail(item, result.reason)
        elif result.status == ItemStatus.SUCCEEDED and result.reason:
            outcomes.succeed(item, result.reason)


# The instance's fields a poll may change; last_updated changes with them, so is not told apart.
_FOLLOWED_FIELDS = ("state", "flavor_id", "image_id")


def _instance_changes(item: ActionItem, before: dict) -> list:
    instance = item.instance
    return [
        changes.instance_change(item, name, old, getattr(instance, name), name=instance.name)
        for name, old in before.items()
        if getattr(instance, name) != old
    ]


def _apply_end(item: ActionItem, result: Settled, instance: Instance) -> None:
    """A resize or rebuild that succeeded changes the instance's flavor or image."""
    if result.status != ItemStatus.SUCCEEDED:
        return
    if item.operation == Operation.RESIZE_INSTANCE:
        instance.flavor_id = item.plan.flavor_id
    elif item.operation == Operation.REBUILD_INSTANCE:
        instance.image_id = item.plan.image_id


def _expire(items) -> int:
    """Stops following items accepted longer than ACTIONS_FOLLOW_SECONDS ago; their instances
    show what the cloud last said, and the next sync brings their end state. Returns how many
    are still followed."""
    limit = settings.ACTIONS_FOLLOW_SECONDS
    overdue = list(items.filter(accepted_at__lt=timezone.now() - timedelta(seconds=limit)))
    reason = f"Accepted by the cloud, not at its end state after {limit} s"
    ActionItem.objects.filter(pk__in=[item.pk for item in overdue]).update(
        status=ItemStatus.SUCCEEDED, reason=reason, finished_at=timezone.now()
    )
    changes.statuses(overdue, ItemStatus.RUNNING, ItemStatus.SUCCEEDED)
    for item in overdue:
        outcomes.show_state_before(item)
    return items.count()
