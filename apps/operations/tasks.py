"""Celery tasks of the actions queue (routed there by the settings): carry out items, and follow
each project's accepted items to their end state. Acknowledged late: a message whose worker
died is delivered again, and finds its items done or resumes them (execute.py)."""

import logging
import math
import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from . import follow
from .choices import ItemStatus
from .execute import Next, carry_out, load
from .models import Action
from .pacing import CallSlots, next_poll, release_follow_lease, take_follow_lease

log = logging.getLogger(__name__)

# Late acknowledgement, also when the pool process running the task dies (Celery would
# acknowledge then), and again after a database error: items are safe to carry out twice.
DELIVERY = {"acks_late": True, "reject_on_worker_lost": True}
# A batch goes to the workers in messages of several items: enough messages to keep every call
# slot of a cloud busy twice over, no more (publishing one costs about half a millisecond).
MIN_CHUNK = 10
# A batch not handed to the broker this long after it was asked for is sent by the sweep.
UNSENT_AFTER = timedelta(minutes=1)


def send(action_id, item_ids: list[str]) -> None:
    """Hands a batch's queued items to the workers, and records that it did."""
    size = max(MIN_CHUNK, math.ceil(len(item_ids) / (2 * settings.ACTIONS_MAX_IN_FLIGHT)))
    for start in range(0, len(item_ids), size):
        run_items.delay(item_ids[start : start + size])
    Action.objects.filter(pk=action_id).update(sent_at=timezone.now())


def slot_wait() -> float:
    """Seconds before trying again when a cloud's call slots are all taken; spread out so
    waiting messages do not all come back at once."""
    return 0.5 + random.random()


@shared_task(**DELIVERY, autoretry_for=(DatabaseError,), retry_backoff=True)
def run_items(item_ids: list[str], attempts_before: int = 0) -> None:
    """Carries out items in turn (a batch goes out in chunks of them)."""
    items, projects = load(item_ids), set()
    with CallSlots() as slots:
        for index, item_id in enumerate(item_ids):
            result = carry_out(items.get(item_id), attempts_before, slots)
            if result.next is Next.WAIT:
                run_items.apply_async((item_ids[index:], attempts_before), countdown=slot_wait())
                break
            if result.next is Next.RETRY:
                run_items.apply_async(([item_id], result.attempts), countdown=result.countdown)
            elif result.next is Next.FOLLOW:
                projects.add(result.project_id)
    for project_id in projects:
        start_following(project_id)


def start_following(project_id) -> None:
    """Starts a chain of polls of the project unless one is running."""
    holder = take_follow_lease(project_id)
    if holder:
        follow_project.apply_async(
            (str(project_id), holder, 0), countdown=settings.ACTIONS_POLL_SECONDS
        )


@shared_task(**DELIVERY)
def follow_project(project_id: str, holder: str, seq: int) -> None:
    """One poll of a project's followed items; the next one is queued while any remain."""
    if not next_poll(project_id, holder, seq):
        return
    try:
        more = follow.poll(project_id) > 0
    except DatabaseError:
        log.warning(
            "Following project %s: database error, polling again", project_id, exc_info=True
        )
        more = True
    if more:
        follow_project.apply_async(
            (project_id, holder, seq + 1), countdown=settings.ACTIONS_POLL_SECONDS
        )
        return
    release_follow_lease(project_id, holder)
    # An item accepted while this poll ran found the lease taken and left it to this chain.
    if follow.followed(project_id).exists():
        start_following(project_id)


@shared_task
def sweep() -> None:
    """Celery beat's: sends the batches whose hand-over failed (the broker was down when their
    request committed), and follows accepted items that no follower has."""
    unsent = Action.objects.filter(
        sent_at__isnull=True, requested_at__lt=timezone.now() - UNSENT_AFTER
    )
    for action in unsent:
        queued = action.items.filter(status=ItemStatus.QUEUED).values_list("id", flat=True)
        send(action.id, [str(pk) for pk in queued])
    for project_id in follow.unfollowed_projects():
        start_following(project_id)
