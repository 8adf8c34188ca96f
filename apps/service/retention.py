"""The retention job: events, finished sync runs and finished actions older than their
settings' days are deleted, in batches of one DELETE each. What /metrics counts of the runs
and items it deletes is first added to totals kept aside (models.py), so the counters never go
down. A setting of 0 keeps those records for ever."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.clouds.choices import SyncStatus
from apps.clouds.models import SyncRun
from apps.history.models import Event
from apps.operations.choices import FINISHED as ITEM_FINISHED
from apps.operations.models import Action, ActionItem, Notification

from .metrics.records import BUCKETS, FINISHED, item_groups, sync_groups
from .models import PrunedActionItems, PrunedSyncRuns

BATCH = 10_000


@dataclass
class Pruned:
    events: int = 0
    sync_runs: int = 0
    actions: int = 0
    action_items: int = 0


def prune(now=None) -> Pruned:
    now = now or timezone.now()
    pruned = Pruned()
    if days := settings.EVENTS_RETENTION_DAYS:
        pruned.events = _in_batches(Event.objects.filter(time__lt=now - timedelta(days=days)))
    if days := settings.SYNC_RUNS_RETENTION_DAYS:
        pruned.sync_runs = _prune_sync_runs(now - timedelta(days=days))
    if days := settings.ACTIONS_RETENTION_DAYS:
        pruned.actions, pruned.action_items = _prune_actions(now - timedelta(days=days))
    return pruned


def _in_batches(rows, before_each=None) -> int:
    """Deletes `rows` BATCH at a time, each batch in a transaction of its own (a long DELETE
    would hold SQLite's write lock from every worker); `before_each(ids)` runs in it first."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(rows.order_by().values_list("pk", flat=True)[:BATCH])
            if not ids:
                return deleted
            if before_each:
                before_each(ids)
            # A raw DELETE: these rows' relations are handled by before_each, and Django's
            # collector would read every row first to look for them.
            rows.model.objects.filter(pk__in=ids)._raw_delete(rows.db)
            deleted += len(ids)


def _prune_sync_runs(cutoff) -> int:
    """Finished runs that ended before `cutoff`, but never the latest run of a cloud's kind
    nor its latest successful one (the schedule and incremental syncs start from them)."""
    latest = SyncRun.objects.latest_of_each_kind().values("id")
    newer_success = SyncRun.objects.filter(
        cloud=OuterRef("cloud"),
        kind=OuterRef("kind"),
        status=SyncStatus.SUCCEEDED,
        queued_at__gt=OuterRef("queued_at"),
    )
    old = (
        SyncRun.objects.alias(ended=Coalesce("finished_at", "queued_at"))
        .filter(status__in=FINISHED, ended__lt=cutoff)
        .exclude(id__in=latest)
        .filter(~Q(status=SyncStatus.SUCCEEDED) | Exists(newer_success))
    )
    return _in_batches(old, _keep_sync_totals)


def _keep_sync_totals(ids: list) -> None:
    for group in sync_groups(SyncRun.objects.filter(id__in=ids)):
        totals, _ = PrunedSyncRuns.objects.select_for_update().get_or_create(
            cloud=group["cloud__name"], kind=group["kind"], status=group["status"]
        )
        totals.runs += group["runs"]
        totals.timed += group["timed"]
        totals.total += group["total"] or 0.0
        for _, bucket in BUCKETS:
            totals.buckets[bucket] = totals.buckets.get(bucket, 0) + group[bucket]
        if group["last_end"] and (not totals.last_end or group["last_end"] > totals.last_end):
            totals.last_end = group["last_end"]
        totals.save()


def _prune_actions(cutoff) -> tuple[int, int]:
    """Actions asked for before `cutoff` whose items have all ended, with their items and
    letters; returns (actions, items) deleted."""
    unfinished = ActionItem.objects.filter(action=OuterRef("pk")).exclude(status__in=ITEM_FINISHED)
    old = Action.objects.filter(requested_at__lt=cutoff).exclude(Exists(unfinished))
    items = 0

    def delete_items(action_ids: list) -> None:
        nonlocal items
        rows = ActionItem.objects.filter(action_id__in=action_ids)
        for group in item_groups(rows):
            totals, _ = PrunedActionItems.objects.select_for_update().get_or_create(
                operation=group["operation"], status=group["status"]
            )
            totals.items += group["items"]
            totals.save(update_fields=["items"])
        Notification.objects.filter(action_id__in=action_ids)._raw_delete(rows.db)
        items += rows._raw_delete(rows.db)

    actions = _in_batches(old, delete_items)
    return actions, items
