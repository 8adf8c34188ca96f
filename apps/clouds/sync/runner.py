"""Carry out one recorded sync run: take the cloud's lease, call the driver, record the result."""

import logging

from django.db.models import F
from django.utils import timezone

from .. import drivers
from ..choices import SyncKind, SyncStatus
from ..drivers.base import CHANGES_MARGIN, DriverError
from ..locks import cloud_lease
from ..models import SyncRun
from .catalog import sync_catalog
from .instances import sync_instances
from .reconcile import Counts
from .witness import run_status

log = logging.getLogger(__name__)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    pass


def run_sync(run: SyncRun, progress=_no_progress) -> SyncRun:
    """Runs `run` unless another sync of its cloud holds the lease (then it is skipped).

    A DriverError is recorded on the run and raised again, so the caller can retry it.
    """
    with cloud_lease(run.cloud_id) as lease:
        if lease is None:
            _skip(run)
            return run
        if not _claim(run):
            return run  # another message for this run took it up first

        def report(stage, done, total):
            lease.renew()
            progress(stage, done, total)

        try:
            counts = _perform(run, report)
        except DriverError as exc:
            _finish(run, SyncStatus.FAILED, error=str(exc))
            log.warning("%s failed: %s", run, exc)
            raise
        _finish(run, SyncStatus.SUCCEEDED, counts=counts)
        log.info("%s: %s", run, counts)
    return run


def _claim(run: SyncRun) -> bool:
    """Marks the queued run as running, unless it no longer is queued."""
    now = timezone.now()
    claimed = SyncRun.objects.filter(pk=run.pk, status=SyncStatus.QUEUED).update(
        status=SyncStatus.RUNNING, started_at=now, error="", attempts=F("attempts") + 1
    )
    run.refresh_from_db(fields=["status", "started_at", "error", "attempts"])
    if claimed:
        run_status(run, SyncStatus.QUEUED, SyncStatus.RUNNING)
    return bool(claimed)


def _skip(run: SyncRun) -> None:
    """Records that the run found its cloud busy, unless another message has taken it up."""
    skipped = SyncRun.objects.filter(pk=run.pk, status=SyncStatus.QUEUED).update(
        status=SyncStatus.SKIPPED,
        error="Another sync of this cloud is running",
        finished_at=timezone.now(),
    )
    run.refresh_from_db(fields=["status", "error", "finished_at"])
    if skipped:
        run_status(run, SyncStatus.QUEUED, SyncStatus.SKIPPED)


def _perform(run: SyncRun, progress) -> Counts:
    cloud = run.cloud
    driver = drivers.for_cloud(cloud)
    if run.kind == SyncKind.CATALOG:
        return sync_catalog(driver, cloud, progress, run.id)
    counts = Counts()
    if not cloud.projects.exists():
        counts.add(sync_catalog(driver, cloud, progress, run.id))
    if run.kind == SyncKind.CHANGES:
        run.changes_since = _changes_since(run)
    counts.add(sync_instances(driver, cloud, progress, run.changes_since, run.id))
    return counts


def _changes_since(run: SyncRun):
    """From shortly before the last successful instance sync; None (list all) if none was."""
    last = (
        SyncRun.objects.filter(
            cloud_id=run.cloud_id,
            kind__in=[SyncKind.INSTANCES, SyncKind.CHANGES],
            status=SyncStatus.SUCCEEDED,
        )
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return last - CHANGES_MARGIN if last else None


def _finish(run: SyncRun, status: str, *, error: str = "", counts: Counts | None = None) -> None:
    run.status, run.error, run.finished_at = status, error, timezone.now()
    counts = counts or Counts()
    run.created, run.updated = counts.created, counts.updated
    run.deleted, run.unchanged = counts.deleted, counts.unchanged
    run.save()
    run_status(run, SyncStatus.RUNNING, status)
