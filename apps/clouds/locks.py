"""A lease per cloud in the database, so that at most one sync of a cloud runs at a time
across any number of workers; a holder that dies stops renewing and its lease lapses."""

import uuid
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from .models import CloudLock

LEASE = timedelta(minutes=5)


class Lease:
    def __init__(self, cloud_id, holder: str):
        self.cloud_id = cloud_id
        self.holder = holder

    def renew(self) -> None:
        CloudLock.objects.filter(cloud_id=self.cloud_id, holder=self.holder).update(
            expires_at=timezone.now() + LEASE
        )


@contextmanager
def cloud_lease(cloud_id):
    """Yields a Lease, or None when another holder has the cloud."""
    holder = uuid.uuid4().hex
    if not _acquire(cloud_id, holder):
        yield None
        return
    try:
        yield Lease(cloud_id, holder)
    finally:
        CloudLock.objects.filter(cloud_id=cloud_id, holder=holder).update(
            holder="", expires_at=None
        )


def _acquire(cloud_id, holder: str) -> bool:
    with suppress(IntegrityError):  # another worker created the row at the same moment
        CloudLock.objects.get_or_create(cloud_id=cloud_id)
    now = timezone.now()
    free = Q(holder="") | Q(expires_at__lt=now)
    return bool(
        CloudLock.objects.filter(free, cloud_id=cloud_id).update(
            holder=holder, expires_at=now + LEASE
        )
    )
