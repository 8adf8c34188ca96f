"""Trying a cloud again after a transient error: how long to wait (the caller's backoff, or
longer when the cloud's Retry-After asks for it, but never more than RETRY_AFTER_MAX_SECONDS: a
cloud asking for an hour must not park a worker's message that long), and how often."""

from django.conf import settings

from .drivers.base import DriverError

# How many times a sync run is started before it is failed: transient errors, lost workers.
SYNC_MAX_ATTEMPTS = 4


def retry_delay(exc: DriverError, backoff: float) -> float:
    return min(max(exc.retry_after or 0.0, backoff), settings.RETRY_AFTER_MAX_SECONDS)
