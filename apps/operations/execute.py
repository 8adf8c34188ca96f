"""Carrying out one item: claim it, call the cloud while holding one of its call slots, and
record the answer. A message carries the number of attempts made before it, so a message
delivered again (acks are late) finds its item done, or resumes the attempt it interrupted
without calling the cloud twice."""

import enum
import logging
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from apps.clouds.choices import Operation
from apps.clouds.drivers.base import TRANSIENT_ERRORS, DriverError, NotFound
from apps.clouds.retry import retry_delay

from . import calls, outcomes
from .choices import FINISHED, ItemStatus
from .connections import driver_for
from .models import ActionItem
from .pacing import CallSlots

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 1.0


class Next(enum.Enum):
    NOTHING = "nothing"  # done, or not this message's business
    FOLLOW = "follow"  # accepted: the project's follower takes it from here
    RETRY = "retry"  # a transient error: again after `countdown`
    WAIT = "wait"  # every call slot of the cloud is taken: again soon, no attempt spent


@dataclass
class Result:
    next: Next
    project_id: object = None
    attempts: int = 0
    countdown: float = 0.0


def load(item_ids: list[str]) -> dict[str, ActionItem]:
    """{id: item} of the items that exist, in one query."""
    items = ActionItem.objects.select_related("action", "cloud", "project", "instance", "image")
    return {str(pk): item for pk, item in items.in_bulk(item_ids).items()}


def carry_out(item: ActionItem | None, attempts_before: int, slots: CallSlots) -> Result:
    """Carries `item` on, if this message is the one to (see the module's docstring)."""
    if item is None or item.status in FINISHED:
        return Result(Next.NOTHING)
    if item.accepted_at:
        return Result(Next.FOLLOW, item.project_id)
    interrupted = item.status == ItemStatus.RUNNING
    if item.attempts != attempts_before + interrupted:
        return Result(Next.NOTHING)  # a stale message: another one carries this item on
    if _target_gone(item):
        return Result(Next.NOTHING)
    if not slots.hold(item.cloud_id):
        return Result(Next.WAIT)
    if not interrupted and not _claim(item):
        return Result(Next.NOTHING)
    return _attempt(item, interrupted)


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


def _claim(item: ActionItem) -> bool:
    now = timezone.now()
    claimed = ActionItem.objects.filter(
        pk=item.pk, status=ItemStatus.QUEUED, attempts=item.attempts
    ).update(status=ItemStatus.RUNNING, attempts=F("attempts") + 1, started_at=now)
    item.status, item.attempts, item.started_at = ItemStatus.RUNNING, item.attempts + 1, now
    return bool(claimed)


def _attempt(item: ActionItem, interrupted: bool) -> Result:
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
        return Result(Next.NOTHING)
    if calls.record_accepted(item, new_id):
        ActionItem.objects.filter(pk=item.pk).update(accepted_at=timezone.now(), reason="")
        return Result(Next.FOLLOW, item.project_id)
    outcomes.succeed(item)
    return Result(Next.NOTHING)


def _not_found(item: ActionItem, exc: NotFound) -> Result:
    if item.operation in (Operation.DELETE_INSTANCE, Operation.DELETE_IMAGE):
        calls.forget(item)
        outcomes.succeed(item, "Already gone")
    else:
        outcomes.fail(item, str(exc), refused=True)
    return Result(Next.NOTHING)


def _retry(item: ActionItem, exc: DriverError) -> Result:
    if item.attempts >= MAX_ATTEMPTS:
        outcomes.fail(item, f"Gave up after {item.attempts} tries: {exc}", refused=True)
        return Result(Next.NOTHING)
    log.info("%s: try %d failed, will retry: %s", item, item.attempts, exc)
    ActionItem.objects.filter(pk=item.pk, status=ItemStatus.RUNNING).update(
        status=ItemStatus.QUEUED, reason=f"Try {item.attempts} failed: {exc}"
    )
    countdown = retry_delay(exc, RETRY_BASE_SECONDS * 2 ** (item.attempts - 1))
    return Result(Next.RETRY, attempts=item.attempts, countdown=countdown)
