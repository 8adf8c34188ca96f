"""Sync runs and action items, counted from their records in the database at each scrape.

Finished records are counters (each run or item counted once, by the outcome it ended with);
unfinished ones are gauges. Sync durations are a histogram computed by the same query. The
records the retention job pruned (apps.service.retention) count on from the totals it kept.
"""

import logging
from collections.abc import Iterator

from django.db import DatabaseError
from django.db.models import Count, F, FloatField, Func, Max, Q, Sum
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.utils import floatToGoString

from apps.clouds.choices import SyncStatus
from apps.clouds.models import SyncRun
from apps.operations.choices import FINISHED as ITEM_FINISHED
from apps.operations.models import ActionItem

from ..models import PrunedActionItems, PrunedSyncRuns

log = logging.getLogger(__name__)

SYNC_BUCKETS = (1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)  # seconds
BUCKETS = tuple((bound, f"le_{bound}") for bound in SYNC_BUCKETS)
FINISHED = (SyncStatus.SUCCEEDED, SyncStatus.FAILED, SyncStatus.SKIPPED)
# Skipped runs never started (or kept the start of an earlier attempt): no duration.
TIMED = (SyncStatus.SUCCEEDED, SyncStatus.FAILED)


class Seconds(Func):
    """Seconds from `start` to `end`, computed by the database. Django's own difference of
    datetimes is a Python function on SQLite, called for each row and bucket; on PostgreSQL,
    date_part is double precision where EXTRACT computes a slower numeric."""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = self._compiled(compiler)
        return f"((julianday({end}) - julianday({start})) * 86400.0)", [*end_params, *start_params]

    def as_postgresql(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = self._compiled(compiler)
        return f"date_part('epoch', {end} - {start})", [*end_params, *start_params]

    def _compiled(self, compiler):
        return [compiler.compile(expression) for expression in self.get_source_expressions()]


class RecordsCollector:
    def collect(self) -> Iterator:
        try:
            syncs = with_pruned_runs(sync_groups(SyncRun.objects.all()))
            items = with_pruned_items(item_groups(ActionItem.objects.all()))
        except DatabaseError as exc:
            # The request metrics are still worth a scrape (/ping reports the database).
            log.warning("Could not count the records: %s: %s", type(exc).__name__, exc)
            return
        yield from sync_metrics(syncs)
        yield from item_metrics(items)


def sync_groups(runs) -> list[dict]:
    """Per cloud, kind and status of `runs`: runs, the latest end, and for the duration
    histogram the count at or under each bucket and the total seconds."""
    return list(
        runs.order_by()
        .alias(took=Seconds(F("finished_at"), F("started_at")))
        .values("cloud__name", "kind", "status")
        .annotate(
            runs=Count("pk"),
            timed=Count("took"),
            total=Sum("took"),
            last_end=Max("finished_at"),
            **{bucket: Count("pk", filter=Q(took__lte=bound)) for bound, bucket in BUCKETS},
        )
    )


def item_groups(items) -> list[dict]:
    return list(items.order_by().values("operation", "status").annotate(items=Count("pk")))


def with_pruned_runs(groups: list[dict]) -> list[dict]:
    """`groups` with the pruned runs' totals added (and groups of which all were pruned)."""
    merged = {(g["cloud__name"], g["kind"], g["status"]): g for g in groups}
    for pruned in PrunedSyncRuns.objects.all():
        key = (pruned.cloud, pruned.kind, pruned.status)
        group = merged.setdefault(key, empty_sync_group(*key))
        add_runs(group, pruned.runs, pruned.timed, pruned.total, pruned.buckets)
        if pruned.last_end and (group["last_end"] is None or pruned.last_end > group["last_end"]):
            group["last_end"] = pruned.last_end
    return list(merged.values())


def empty_sync_group(cloud: str, kind: str, status: str) -> dict:
    return {
        "cloud__name": cloud,
        "kind": kind,
        "status": status,
        "runs": 0,
        "timed": 0,
        "total": 0.0,
        "last_end": None,
        **dict.fromkeys((bucket for _, bucket in BUCKETS), 0),
    }


def add_runs(group: dict, runs: int, timed: int, total: float | None, buckets: dict) -> None:
    group["runs"] += runs
    group["timed"] += timed
    group["total"] = (group["total"] or 0.0) + (total or 0.0)
    for _, bucket in BUCKETS:
        group[bucket] += buckets.get(bucket, 0)


def with_pruned_items(groups: list[dict]) -> list[dict]:
    merged = {(g["operation"], g["status"]): g for g in groups}
    for pruned in PrunedActionItems.objects.all():
        key = (pruned.operation, pruned.status)
        group = merged.setdefault(key, {"operation": key[0], "status": key[1], "items": 0})
        group["items"] += pruned.items
    return list(merged.values())


def sync_metrics(groups: list[dict]) -> Iterator:
    labels = ["cloud", "kind"]
    runs = CounterMetricFamily(
        "perspective_sync_runs",
        "Sync runs finished, by cloud, kind and outcome",
        labels=[*labels, "outcome"],
    )
    unfinished = GaugeMetricFamily(
        "perspective_sync_runs_unfinished",
        "Sync runs queued or running, by cloud and kind",
        labels=[*labels, "status"],
    )
    duration = HistogramMetricFamily(
        "perspective_sync_duration_seconds",
        "Time sync runs took from start to end, by cloud, kind and outcome",
        labels=[*labels, "outcome"],
    )
    last_success = GaugeMetricFamily(
        "perspective_sync_last_success_timestamp_seconds",
        "When the latest successful sync of the cloud and kind ended (Unix time)",
        labels=labels,
    )
    for group in groups:
        key, status = [group["cloud__name"], group["kind"]], group["status"]
        if status not in FINISHED:
            unfinished.add_metric([*key, status], group["runs"])
            continue
        runs.add_metric([*key, status], group["runs"])
        if status in TIMED:
            duration.add_metric([*key, status], _buckets(group), group["total"] or 0.0)
        if status == SyncStatus.SUCCEEDED and group["last_end"] is not None:
            last_success.add_metric(key, group["last_end"].timestamp())
    yield from (runs, unfinished, duration, last_success)


def _buckets(group: dict) -> list[tuple[str, int]]:
    counted = [(floatToGoString(bound), group[f"le_{bound}"]) for bound in SYNC_BUCKETS]
    return [*counted, ("+Inf", group["timed"])]


def item_metrics(groups: list[dict]) -> Iterator:
    items = CounterMetricFamily(
        "perspective_action_items",
        "Batch action items finished, by operation and outcome",
        labels=["operation", "outcome"],
    )
    unfinished = GaugeMetricFamily(
        "perspective_action_items_unfinished",
        "Batch action items queued or running, by operation",
        labels=["operation", "status"],
    )
    for group in groups:
        family = items if group["status"] in ITEM_FINISHED else unfinished
        family.add_metric([group["operation"], group["status"]], group["items"])
    yield from (items, unfinished)
