"""Which syncs are due: per cloud and kind, by the cloud's intervals, backing off while failing."""

from datetime import timedelta

from django.utils import timezone

from apps.inventory.models import Cloud

from .choices import SyncKind, SyncStatus
from .models import SyncRun

# A run queued or running for longer than this was lost (its worker died): it is failed.
LOST_AFTER = timedelta(hours=1)
MAX_BACKOFF = 32
RECENT = 6


def intervals(cloud: Cloud) -> dict[str, timedelta]:
    return {
        SyncKind.CATALOG: timedelta(minutes=cloud.catalog_sync_minutes),
        SyncKind.INSTANCES: timedelta(minutes=cloud.instances_sync_minutes),
        SyncKind.CHANGES: timedelta(seconds=cloud.changes_sync_seconds),
    }


def due_runs(now=None) -> list[SyncRun]:
    """Creates (queued) and returns the runs that are due now."""
    now = now or timezone.now()
    due = []
    for cloud in Cloud.objects.filter(enabled=True):
        for kind, interval in intervals(cloud).items():
            if _is_due(cloud, kind, interval, now):
                due.append(SyncRun.objects.create(cloud=cloud, kind=kind))
    return due


def _is_due(cloud, kind, interval, now) -> bool:
    # A skipped run found the cloud busy and did nothing: it does not postpone the next one.
    runs = SyncRun.objects.filter(cloud=cloud, kind=kind).exclude(status=SyncStatus.SKIPPED)
    recent = list(runs.order_by("-queued_at")[:RECENT])
    if not recent:
        return True
    latest = recent[0]
    if latest.status in (SyncStatus.QUEUED, SyncStatus.RUNNING):
        if now - latest.queued_at < LOST_AFTER:
            return False
        latest.status, latest.error, latest.finished_at = SyncStatus.FAILED, "Lost", now
        latest.save(update_fields=["status", "error", "finished_at"])
    return now - latest.queued_at >= interval * backoff(recent)


def backoff(recent: list[SyncRun]) -> int:
    """1 after a success, doubling with each failure in a row (up to MAX_BACKOFF)."""
    return min(2 ** failures_in_a_row(run.status for run in recent), MAX_BACKOFF)


def failures_in_a_row(statuses) -> int:
    """How many of the latest statuses (newest first) are failures."""
    count = 0
    for status in statuses:
        if status != SyncStatus.FAILED:
            break
        count += 1
    return count
