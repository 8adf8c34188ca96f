"""Celery tasks of the actions queue (routed there by the settings): carry out items, follow each
project's accepted items to their end state, and sweep up what the broker lost. Acknowledged
late: a message whose worker died is delivered again, and finds its items done or resumes them
(attempts.py). The database, not the broker, is the record of what is left to do."""

import logging
import math
import random
import time
from datetime import timedelta
from itertools import groupby

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from . import follow
from .attempts import Next, carry_out, load
from .choices import ItemStatus
from .models import Action, ActionItem
from .pacing import CallSlots, next_poll, release_follow_lease, take_follow_lease

log = logging.getLogger(__name__)

# Late acknowledgement, also when the pool process running the task dies (Celery would
# acknowledge then), and again after a database error: items are safe to carry out twice.
DELIVERY = {"acks_late": True, "reject_on_worker_lost": True}
# A batch goes to the workers in messages of several items: enough messages to keep every call
# slot of a cloud busy twice over, no more (publishing one costs about half a millisecond).
MIN_CHUNK = 10


def send(action_id, item_ids: list[str]) -> None:
    """Hands a batch's queued items to the workers, and records that it did."""
    hand_over(item_ids)
    Action.objects.filter(pk=action_id).update(sent_at=timezone.now())


def hand_over(item_ids: list[str], attempts_before: int = 0) -> None:
    size = max(MIN_CHUNK, math.ceil(len(item_ids) / (2 * settings.ACTIONS_MAX_IN_FLIGHT)))
    for start in range(0, len(item_ids), size):
        run_items.delay(item_ids[start : start + size], attempts_before)


def slot_wait() -> float:
    """Seconds before trying again when a cloud's call slots are all taken; spread out so
    waiting messages do not all come back at once."""
    return 0.5 + random.random()


@shared_task(**DELIVERY, autoretry_for=(DatabaseError,), retry_backoff=True)
def run_items(item_ids: list[str], attempts_before: int = 0) -> None:
    """Carries out items in turn (a batch goes out in chunks of them)."""
    items, projects = load(item_ids), set()
    answered_at = time.monotonic()
    with CallSlots() as slots:
        for index, item_id in enumerate(item_ids):
            if time.monotonic() - answered_at > settings.RESEND_SECONDS / 3:
                answer_for(item_ids[index:], attempts_before, 0)  # a long chunk is alive
                answered_at = time.monotonic()
            result = carry_out(items.get(item_id), attempts_before, slots)
            if result.next is Next.WAIT:
                countdown = slot_wait()
                answer_for(item_ids[index:], attempts_before, countdown)
                publish(run_items, (item_ids[index:], attempts_before), countdown)
                break
            if result.next in (Next.RETRY, Next.LATER):
                publish(run_items, ([item_id], result.attempts), result.countdown)
            elif result.next is Next.FOLLOW:
                projects.add(result.project_id)
    for project_id in projects:
        start_following(project_id)


def answer_for(item_ids: list[str], attempts_before: int, countdown: float) -> None:
    """Tells the sweep not to send these items again for `countdown` seconds: this message is
    still working on them (those of them whose attempts it carries)."""
    due = timezone.now() + timedelta(seconds=countdown)
    ActionItem.objects.filter(
        pk__in=item_ids, status=ItemStatus.QUEUED, attempts=attempts_before
    ).update(due_at=due)


def publish(task, arguments: tuple, countdown: float) -> None:
    """Queues a task; a broker that is down leaves the work to the sweep."""
    try:
        task.apply_async(arguments, countdown=countdown)
    except BrokerError as exc:
        log.warning("Cannot queue %s (%s): the sweep will send it again", task.name, exc)


def start_following(project_id) -> None:
    """Starts a chain of polls of the project unless one is running."""
    holder = take_follow_lease(project_id)
    if holder:
        publish(follow_project, (str(project_id), holder, 0), settings.ACTIONS_POLL_SECONDS)


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
        publish(follow_project, (project_id, holder, seq + 1), settings.ACTIONS_POLL_SECONDS)
        return
    release_follow_lease(project_id, holder)
    # An item accepted while this poll ran found the lease taken and left it to this chain.
    if follow.followed(project_id).exists():
        start_following(project_id)


@shared_task
def sweep() -> None:
    """Celery beat's: sends again the items no message answers for any more (the broker was
    down when their request committed, or lost their messages, or their worker died), and
    follows accepted items that no follower has."""
    now = timezone.now()
    overdue = ActionItem.objects.filter(
        status__in=(ItemStatus.QUEUED, ItemStatus.RUNNING),
        accepted_at__isnull=True,
        due_at__lt=now - timedelta(seconds=settings.RESEND_SECONDS),
    )
    rows = sorted(
        (attempts - (status == ItemStatus.RUNNING), str(cloud_id), str(pk), action_id)
        for pk, status, attempts, cloud_id, action_id in overdue.values_list(
            "id", "status", "attempts", "cloud_id", "action_id"
        )
    )
    if rows:
        log.warning("Sending again %d item(s) that no message answers for", len(rows))
        ActionItem.objects.filter(pk__in=[pk for _, _, pk, _ in rows]).update(due_at=now)
        Action.objects.filter(pk__in={row[3] for row in rows}, sent_at__isnull=True).update(
            sent_at=now
        )
    # A running item's try was cut short: its message says so by counting that try as not
    # made yet (see attempts.carry_out).
    for attempts_before, group in groupby(rows, key=lambda row: row[0]):
        hand_over([pk for _, _, pk, _ in group], attempts_before)
    for project_id in follow.unfollowed_projects():
        start_following(project_id)
