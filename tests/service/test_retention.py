"""The retention job: old events, finished sync runs and finished actions go, in bulk, and
/metrics' counters count on as if they had stayed."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.clouds.models import SyncRun
from apps.history.models import Event
from apps.inventory import factories
from apps.operations.models import Action, ActionItem, Notification
from apps.service import retention
from tests.service.test_metrics import scrape

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days: float):
    return NOW - timedelta(days=days)


def counters(samples: dict) -> dict:
    """The samples of counters and histograms (what must never go down)."""
    kept = ("perspective_sync_runs_total", "perspective_sync_duration", "perspective_action_items")
    return {
        key: value
        for key, value in samples.items()
        if key[0].startswith(kept) and "unfinished" not in key[0]
    }


def sync_run(cloud, kind: str, status: str, ended_days_ago: float, took: float = 3.0):
    ended = days_ago(ended_days_ago)
    run = SyncRun.objects.create(cloud=cloud, kind=kind, status=status)
    started = ended - timedelta(seconds=took)
    SyncRun.objects.filter(pk=run.pk).update(
        queued_at=started, started_at=started, finished_at=ended
    )
    return run


def action(days: float, *statuses: str) -> Action:
    made = Action.objects.create(operation="rebootInstance", requested_at=days_ago(days))
    for status in statuses:
        item = ActionItem.objects.create(
            action=made, operation="rebootInstance", target_id="x", status=status
        )
        if status == "failed":
            Notification.objects.create(message="Failed", action=made, item=item)
    return made


@override_settings(EVENTS_RETENTION_DAYS=30)
def test_events_older_than_their_days_are_deleted():
    for days in (40, 31, 29, 1):
        Event.objects.create(time=days_ago(days), kind="instance", entity_id="x", field="state")

    pruned = retention.prune(NOW)

    assert pruned.events == 2
    assert sorted(Event.objects.values_list("time", flat=True)) == [days_ago(29), days_ago(1)]


@override_settings(SYNC_RUNS_RETENTION_DAYS=30)
def test_old_sync_runs_go_but_the_latest_and_the_latest_success_stay(client):
    cloud = factories.CloudFactory(name="sim")
    old_success = sync_run(cloud, "catalog", "succeeded", 60)
    sync_run(cloud, "catalog", "succeeded", 50)
    sync_run(cloud, "catalog", "failed", 45)
    latest_success = sync_run(cloud, "catalog", "succeeded", 40)
    sync_run(cloud, "catalog", "failed", 35, took=700)
    old_latest = sync_run(cloud, "instances", "failed", 60)
    recent = sync_run(cloud, "catalog", "failed", 1)
    before = counters(scrape(client))

    pruned = retention.prune(NOW)

    assert pruned.sync_runs == 4
    kept = set(SyncRun.objects.values_list("id", flat=True))
    assert kept == {latest_success.id, old_latest.id, recent.id}
    assert old_success.id not in kept
    assert counters(scrape(client)) == before


@override_settings(ACTIONS_RETENTION_DAYS=30)
def test_old_finished_actions_go_with_their_items_and_letters(client):
    old = action(40, "succeeded", "failed", "skipped")
    unfinished = action(40, "succeeded", "running")
    recent = action(1, "failed")
    before = counters(scrape(client))

    pruned = retention.prune(NOW)

    assert (pruned.actions, pruned.action_items) == (1, 3)
    assert set(Action.objects.values_list("id", flat=True)) == {unfinished.id, recent.id}
    assert not ActionItem.objects.filter(action=old).exists()
    assert Notification.objects.count() == 1
    assert counters(scrape(client)) == before


@override_settings(EVENTS_RETENTION_DAYS=0, SYNC_RUNS_RETENTION_DAYS=0, ACTIONS_RETENTION_DAYS=0)
def test_zero_days_keeps_everything():
    Event.objects.create(time=days_ago(4000), kind="instance", entity_id="x", field="state")
    action(4000, "succeeded")

    assert retention.prune(NOW) == retention.Pruned()
