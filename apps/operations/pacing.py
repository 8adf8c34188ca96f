"""How many calls a cloud gets at once, and who follows a project's instances: both kept in the
database, so they hold across any number of workers, and both lapse when their holder dies."""

import uuid
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from .models import CallSlot, FollowLease


def slot_lease() -> timedelta:
    """Longer than any one try can take (the driver gives each HTTP request 60 s)."""
    return timedelta(seconds=settings.ACTIONS_ATTEMPT_SECONDS)


def _free(now) -> Q:
    return Q(holder="") | Q(expires_at__lt=now)


class CallSlots:
    """The call slots one worker holds, at most one per cloud: it makes one call at a time
    in each, for as many items as it has, and gives them back at the end."""

    def __init__(self):
        self._held = {}  # cloud id: (slot number, holder)
        self._until = {}  # cloud id: when the slot lapses unless renewed

    def hold(self, cloud_id) -> bool:
        """Whether a call to the cloud may go now (taking a slot when none is held)."""
        if cloud_id in self._held:
            if self._until[cloud_id] - timezone.now() < slot_lease() / 2:
                self._renew(cloud_id)
            return True
        holder = uuid.uuid4().hex
        number = _take_slot(cloud_id, holder)
        if number is None:
            return False
        self._held[cloud_id] = (number, holder)
        self._until[cloud_id] = timezone.now() + slot_lease()
        return True

    def _renew(self, cloud_id) -> None:
        number, holder = self._held[cloud_id]
        self._until[cloud_id] = timezone.now() + slot_lease()
        CallSlot.objects.filter(cloud_id=cloud_id, number=number, holder=holder).update(
            expires_at=self._until[cloud_id]
        )

    def release(self) -> None:
        for cloud_id, (number, holder) in self._held.items():
            CallSlot.objects.filter(cloud_id=cloud_id, number=number, holder=holder).update(
                holder="", expires_at=None
            )
        self._held.clear()

    def __enter__(self) -> "CallSlots":
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


@contextmanager
def call_slot(cloud_id):
    """Yields True while holding one of the cloud's call slots, False when all are taken."""
    with CallSlots() as slots:
        yield slots.hold(cloud_id)


def _take_slot(cloud_id, holder: str) -> int | None:
    limit = settings.ACTIONS_MAX_IN_FLIGHT
    now = timezone.now()
    slots = CallSlot.objects.filter(cloud_id=cloud_id, number__lt=limit)
    free = list(slots.filter(_free(now)).values_list("number", flat=True))
    if not free and slots.count() < limit:
        CallSlot.objects.bulk_create(
            [CallSlot(cloud_id=cloud_id, number=number) for number in range(limit)],
            ignore_conflicts=True,
        )
        free = list(slots.filter(_free(now)).values_list("number", flat=True))
    for number in free:
        # Another worker may take the same slot between the read and this write: the
        # condition makes only one of them win.
        taken = slots.filter(_free(now), number=number).update(
            holder=holder, expires_at=now + slot_lease()
        )
        if taken:
            return number
    return None


def follow_lease_ttl() -> timedelta:
    """A follower that has not polled for this long is taken to be dead (its message lost)."""
    return timedelta(seconds=max(settings.RESEND_SECONDS, 10 * settings.ACTIONS_POLL_SECONDS))


def take_follow_lease(project_id) -> str | None:
    """Becomes the project's follower unless a live one exists; returns the holder token."""
    with suppress(IntegrityError):  # another worker created the row at the same moment
        FollowLease.objects.get_or_create(project_id=project_id)
    holder = uuid.uuid4().hex
    now = timezone.now()
    taken = FollowLease.objects.filter(_free(now), project_id=project_id).update(
        holder=holder, seq=0, expires_at=now + follow_lease_ttl()
    )
    return holder if taken else None


def next_poll(project_id, holder: str, seq: int) -> bool:
    """Claims poll `seq` of the holder's chain: False for a stale or duplicate delivery."""
    return bool(
        FollowLease.objects.filter(project_id=project_id, holder=holder, seq=seq).update(
            seq=seq + 1, expires_at=timezone.now() + follow_lease_ttl()
        )
    )


def release_follow_lease(project_id, holder: str) -> None:
    FollowLease.objects.filter(project_id=project_id, holder=holder).update(
        holder="", expires_at=None
    )
