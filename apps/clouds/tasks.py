"""Celery tasks of the sync queue: run a recorded sync, and queue the syncs that are due."""

from itertools import groupby

from celery import chain, shared_task
from django.db import transaction

from .choices import SyncStatus
from .drivers.base import DriverError, Unavailable
from .models import SyncRun
from .retry import retry_delay
from .schedule import due_runs
from .sync.runner import run_sync

MAX_ATTEMPTS = 4


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1)
def sync_cloud(self, run_id: int) -> None:
    """Runs a SyncRun; transient cloud errors are retried with backoff on the same run."""
    run = SyncRun.objects.select_related("cloud").get(pk=run_id)
    try:
        run_sync(run)
    except Unavailable as exc:
        if run.attempts >= MAX_ATTEMPTS:
            return
        run.status = SyncStatus.QUEUED
        run.save(update_fields=["status"])
        raise self.retry(countdown=retry_delay(exc, 5 * 2**run.attempts), exc=exc) from exc
    except DriverError:
        return  # recorded on the run; retrying would not change the answer


def run_in_order(runs: list[SyncRun]) -> None:
    """Hands one cloud's runs to a worker on commit, to run one after the other.

    Queued apart, they would start together on several workers, and all but one would find
    the cloud's lease taken and be skipped.
    """
    work = chain(*(sync_cloud.si(run.id) for run in runs))
    transaction.on_commit(work.delay)


@shared_task
def schedule_syncs() -> int:
    """Queues every sync that is due (Celery beat calls this often)."""
    runs = due_runs()
    for _, cloud_runs in groupby(runs, key=lambda run: run.cloud_id):
        run_in_order(list(cloud_runs))
    return len(runs)
