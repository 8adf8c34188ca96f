"""Celery tasks of the sync queue: run a recorded sync, and queue the syncs that are due along
with those whose message was lost."""

from datetime import timedelta
from itertools import groupby

from celery import chain, shared_task
from django.db import transaction
from django.utils import timezone

from .choices import SyncStatus
from .drivers.base import DriverError, Unavailable
from .models import SyncRun
from .retry import SYNC_MAX_ATTEMPTS, retry_delay
from .schedule import due_runs, lost_runs
from .sync.runner import run_sync


@shared_task(bind=True, max_retries=SYNC_MAX_ATTEMPTS - 1)
def sync_cloud(self, run_id: int) -> None:
    """Runs a SyncRun; transient cloud errors are retried with backoff on the same run.

    A run already taken up (its message was sent again, see schedule.lost_runs) is left alone.
    """
    run = SyncRun.objects.select_related("cloud").get(pk=run_id)
    if run.status != SyncStatus.QUEUED:
        return
    try:
        run_sync(run)
    except Unavailable as exc:
        if run.attempts >= SYNC_MAX_ATTEMPTS:
            return
        countdown = retry_delay(exc, 5 * 2**run.attempts)
        run.status, run.due_at = SyncStatus.QUEUED, timezone.now() + timedelta(seconds=countdown)
        run.save(update_fields=["status", "due_at"])
        raise self.retry(countdown=countdown, exc=exc) from exc
    except DriverError:
        return  # recorded on the run; retrying would not change the answer


def run_in_order(runs: list[SyncRun]) -> None:
    """Hands one cloud's runs to a worker on commit, to run one after the other.

    Queued apart, they would start together on several workers, and all but one would find
    the cloud's lease taken and be skipped. A broker that is down leaves them to be sent again
    by the schedule (lost_runs).
    """
    work = chain(*(sync_cloud.si(run.id) for run in runs))
    transaction.on_commit(work.delay, robust=True)


@shared_task
def schedule_syncs() -> int:
    """Queues again the runs lost with their message or worker, then every sync that is due
    (Celery beat calls this often)."""
    for runs in lost_runs():
        run_in_order(runs)
    runs = due_runs()
    for _, cloud_runs in groupby(runs, key=lambda run: run.cloud_id):
        run_in_order(list(cloud_runs))
    return len(runs)
