"""Which syncs are due: per cloud and kind, by the cloud's intervals, backing off while failing;
and which unfinished runs were lost with their message or their worker."""

from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.utils import timezone

from apps.inventory.models import Cloud

from .choices import SyncKind, SyncStatus
from .models import CloudLock, SyncRun
from .retry import SYNC_MAX_ATTEMPTS

MAX_BACKOFF = 32
UNFINISHED = (SyncStatus.QUEUED, SyncStatus.RUNNING)
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
    for cloud in Cloud.objects.to_sync():
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
    if latest.status in UNFINISHED:
        return False  # under way, or lost and sent again (lost_runs)
    # Queued at the last look before the interval ends, not at the first after it: the next
    # run starts within the interval of this one, and the inventory is never older than that.
    next_look = timedelta(seconds=settings.SYNC_SCHEDULE_SECONDS)
    return now + next_look - latest.queued_at > interval * backoff(recent)


def lost_runs(now=None) -> list[list[SyncRun]]:
    """The unfinished runs of each cloud that no message answers for any more, queued again,
    in the order they were asked for: a cloud whose lease nobody holds, with queued runs that
    were due RESEND_SECONDS ago (the broker lost their message, or it was never handed over),
    or a running one (its worker died). A run that has been started SYNC_MAX_ATTEMPTS times
    is failed instead."""
    now = now or timezone.now()
    held = CloudLock.objects.exclude(holder="").filter(expires_at__gte=now)
    unfinished = (
        SyncRun.objects.filter(status__in=UNFINISHED)
        .exclude(cloud__in=held.values("cloud"))
        .order_by("cloud_id", "id")
    )
    overdue = now - timedelta(seconds=settings.RESEND_SECONDS)
    lost = []
    for _, group in groupby(unfinished, key=lambda run: run.cloud_id):
        runs = list(group)
        if any(run.status == SyncStatus.RUNNING or run.due_at < overdue for run in runs):
            lost.append([run for run in runs if _queue_again(run, now)])
    return [runs for runs in lost if runs]


def _queue_again(run: SyncRun, now) -> bool:
    if run.status == SyncStatus.RUNNING and run.attempts >= SYNC_MAX_ATTEMPTS:
        run.status, run.finished_at = SyncStatus.FAILED, now
        run.error = "Lost: its worker stopped while it ran"
        run.save(update_fields=["status", "finished_at", "error"])
        return False
    updated = SyncRun.objects.filter(pk=run.pk, status__in=UNFINISHED)
    return bool(updated.update(status=SyncStatus.QUEUED, due_at=now))


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
