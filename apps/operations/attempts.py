"""Carrying out one item: claim it, call the cloud while holding one of its call slots, and
record the answer. A message carries the number of attempts made before it, so a message
delivered again (acks are late, the sweep re-sends what seems lost) finds its item done, leaves
alone a try another worker is still making, or resumes a try whose worker died without calling
the cloud twice."""

import enum
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from apps.clouds.choices import Operation
from apps.clouds.drivers.base import TRANSIENT_ERRORS, DriverError, NotFound
from apps.clouds.retry import retry_delay

from . import calls, changes, outcomes
from .choices import FINISHED, ItemStatus
from .connections import driver_for
from .models import ActionItem
from .pacing import CallSlots
from .rules import UNREACHABLE

log = logging.getLogger(__name__)

ITEM_MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 1.0


class Next(enum.Enum):
    NOTHING = "nothing"  # done, or not this message's business
    FOLLOW = "follow"  # accepted: the project's follower takes it from here
    RETRY = "retry"  # a transient error: again after `countdown`
    WAIT = "wait"  # every call slot of the cloud is taken: again soon, no attempt spent
    LATER = "later"  # another try may be under way: again after `countdown`, when it lapses


@dataclass
class ItemResult:
    next: Next
    project_id: object = None
    attempts: int = 0
    countdown: float = 0.0


def load(item_ids: list[str]) -> dict[str, ActionItem]:
    """{id: item} of the items that exist, in one query."""
    items = ActionItem.objects.select_related(
        "action__requested_by", "cloud", "project", "instance", "image"
    )
    return {str(pk): item for pk, item in items.in_bulk(item_ids).items()}


def carry_out(item: ActionItem | None, attempts_before: int, slots: CallSlots) -> ItemResult:
    """Takes `item` one step on for this message: nothing when the item has ended or another
    message is working on it; otherwise a call to the cloud, a retry later, or following."""
    if item is None or item.status in FINISHED:
        return ItemResult(Next.NOTHING)
    if item.accepted_at:
        return ItemResult(Next.FOLLOW, item.project_id)
    interrupted = item.status == ItemStatus.RUNNING
    if item.attempts != attempts_before + interrupted:
        return ItemResult(Next.NOTHING)  # a stale message: another one carries this item on
    if interrupted and item.due_at and item.due_at > timezone.now():
        # A message delivered twice, or one whose worker (or pool process) died: either way
        # the try it interrupted answers for the item until then.
        wait = (item.due_at - timezone.now()).total_seconds()
        return ItemResult(Next.LATER, attempts=attempts_before, countdown=wait)
    if _target_gone(item) or _target_unreachable(item):
        return ItemResult(Next.NOTHING)
    if not slots.hold(item.cloud_id):
        return ItemResult(Next.WAIT)
    if not (_take_over(item) if interrupted else _claim(item)):
        return ItemResult(Next.NOTHING)
    return _attempt(item, interrupted)


def attempt_deadline():
    """Until when a try starting now answers for its item."""
    return timezone.now() + timedelta(seconds=settings.ACTIONS_ATTEMPT_SECONDS)


def _target_gone(item: ActionItem) -> bool:
    """Ends an item whose instance or image left the inventory (a sync saw it deleted)."""
    targets = {
        Operation.DELETE_IMAGE: (item.image_id,),
        Operation.ADD_IMAGE: (item.instance_id, item.image_id),
    }.get(item.operation, (item.instance_id,))
    if item.cloud_id and item.project_id and all(targets):
        return False
    if item.operation in (Operation.DELETE_INSTANCE, Operation.DELETE_IMAGE):
        outcomes.succeed(item, "Already gone")
    else:
        outcomes.fail(item, "The instance no longer exists")
    return True


def _target_unreachable(item: ActionItem) -> bool:
    """Fails an item whose instance became unreachable since it was asked for (a sync found
    its Nova cell down): no call is made on what may be stale."""
    if item.instance is None or item.instance.unreachable_since is None:
        return False
    outcomes.fail(item, UNREACHABLE, refused=True)
    return True


def _claim(item: ActionItem) -> bool:
    now, due = timezone.now(), attempt_deadline()
    claimed = ActionItem.objects.filter(
        pk=item.pk, status=ItemStatus.QUEUED, attempts=item.attempts
    ).update(status=ItemStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, due_at=due)
    item.status, item.attempts, item.started_at = ItemStatus.RUNNING, item.attempts + 1, now
    item.due_at = due
    if claimed:
        changes.status(item, ItemStatus.QUEUED, ItemStatus.RUNNING)
    return bool(claimed)


def _take_over(item: ActionItem) -> bool:
    """Resumes the try of a worker that died, unless another message just did."""
    due = attempt_deadline()
    taken = ActionItem.objects.filter(
        pk=item.pk, status=ItemStatus.RUNNING, attempts=item.attempts, due_at=item.due_at
    ).update(due_at=due)
    item.due_at = due
    return bool(taken)


def _attempt(item: ActionItem, interrupted: bool) -> ItemResult:
    driver = driver_for(item.cloud)
    region = item.project.region
    try:
        made, new_id = calls.made_before(driver, region, item) if interrupted else (False, None)
        if not made:
            new_id = calls.call(driver, region, item)
    except NotFound as exc:
        return _not_found(item, exc)
    except TRANSIENT_ERRORS as exc:
        return _retry(item, exc)
    except DriverError as exc:
        outcomes.fail(item, str(exc), refused=True)
        return ItemResult(Next.NOTHING)
    if calls.record_accepted(item, new_id):
        # A call made by the interrupted try was made after it started: followed from then.
        accepted_at = item.started_at if made else timezone.now()
        ActionItem.objects.filter(pk=item.pk).update(
            accepted_at=accepted_at, reason="", due_at=None
        )
        return ItemResult(Next.FOLLOW, item.project_id)
    outcomes.succeed(item)
    return ItemResult(Next.NOTHING)


def _not_found(item: ActionItem, exc: NotFound) -> ItemResult:
    if item.operation in (Operation.DELETE_INSTANCE, Operation.DELETE_IMAGE):
        calls.forget(item)
        outcomes.succeed(item, "Already gone")
    else:
        outcomes.fail(item, str(exc), refused=True)
    return ItemResult(Next.NOTHING)


def _retry(item: ActionItem, exc: DriverError) -> ItemResult:
    if item.attempts >= ITEM_MAX_ATTEMPTS:
        outcomes.fail(item, f"Gave up after {item.attempts} tries: {exc}", refused=True)
        return ItemResult(Next.NOTHING)
    log.info("%s: try %d failed, will retry: %s", item, item.attempts, exc)
    countdown = retry_delay(exc, RETRY_BASE_SECONDS * 2 ** (item.attempts - 1))
    requeued = ActionItem.objects.filter(pk=item.pk, status=ItemStatus.RUNNING).update(
        status=ItemStatus.QUEUED,
        reason=f"Try {item.attempts} failed: {exc}",
        due_at=timezone.now() + timedelta(seconds=countdown),
    )
    if requeued:
        changes.status(item, ItemStatus.RUNNING, ItemStatus.QUEUED)
    return ItemResult(Next.RETRY, attempts=item.attempts, countdown=countdown)
