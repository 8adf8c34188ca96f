import json
from datetime import timedelta

import pytest
from celery import chain
from celery.signals import before_task_publish
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.clouds.locks import cloud_lease
from apps.clouds.models import SyncRun
from apps.clouds.retry import SYNC_MAX_ATTEMPTS
from apps.clouds.schedule import due_runs, lost_runs
from apps.clouds.sync.runner import run_sync
from apps.clouds.tasks import schedule_syncs, sync_cloud
from apps.inventory import factories
from apps.inventory.models import Instance

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=20, projects=1)]


def test_the_task_runs_a_recorded_sync(cloud):
    run = SyncRun.objects.create(cloud=cloud, kind="instances")

    sync_cloud.apply(args=[run.id])

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert Instance.objects.count() == 20


def test_a_transient_error_is_retried_on_the_same_run(cloud, simulator):
    simulator.control.set_faults(services=["compute"], error_count=1, error_status=503)
    run = SyncRun.objects.create(cloud=cloud, kind="instances")

    sync_cloud.apply(args=[run.id])  # eager: the retry runs at once

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 2)
    assert Instance.objects.count() == 20


def test_a_retry_waits_as_long_as_the_clouds_retry_after_asks(cloud, simulator, monkeypatch):
    simulator.control.set_faults(
        services=["compute"], error_status=503, error_after=1, error_count=1, retry_after=45
    )
    run = SyncRun.objects.create(cloud=cloud, kind="instances")
    countdowns = []
    retry = sync_cloud.retry
    monkeypatch.setattr(
        sync_cloud,
        "retry",
        lambda **options: countdowns.append(options["countdown"]) or retry(**options),
    )

    sync_cloud.apply(args=[run.id])

    run.refresh_from_db()
    assert (run.status, run.attempts, countdowns) == ("succeeded", 2, [45.0])


def test_a_cloud_that_stays_down_fails_after_the_last_attempt(cloud, simulator):
    simulator.control.set_faults(down=["compute"])
    run = SyncRun.objects.create(cloud=cloud, kind="instances")

    sync_cloud.apply(args=[run.id])

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("failed", SYNC_MAX_ATTEMPTS)
    assert "compute service" in run.error


def test_a_lasting_error_is_not_retried(cloud):
    cloud.password = "wrong"
    cloud.save()
    run = SyncRun.objects.create(cloud=cloud, kind="catalog")

    result = sync_cloud.apply(args=[run.id])

    run.refresh_from_db()
    assert result.state == "SUCCESS"
    assert run.status == "failed"


@pytest.fixture
def published():
    """The bodies of the task messages sent while the test runs: (args, kwargs, embed)."""
    bodies = []

    def record(body, **_):
        bodies.append(body)

    before_task_publish.connect(record, weak=False)
    yield bodies
    before_task_publish.disconnect(record)


def chained_args(body) -> list:
    args, _, embed = body
    return [args, *(signature["args"] for signature in embed["chain"] or [])]


def run_order(body) -> list[int]:
    """The run ids of a published chain in the order they run (Celery keeps the rest of a
    chain last first)."""
    first, *rest = chained_args(body)
    return [first[0], *(args[0] for args in reversed(rest))]


def test_task_arguments_carry_no_secret(cloud, django_capture_on_commit_callbacks, published):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_syncs()

    assert published
    every_args = [args for body in published for args in chained_args(body)]
    assert all(len(args) == 1 and isinstance(args[0], int) for args in every_args)
    assert cloud.password not in json.dumps(published)


def test_a_clouds_due_runs_are_queued_to_run_one_after_the_other(
    cloud, django_capture_on_commit_callbacks, published
):
    factories.CloudFactory()

    with django_capture_on_commit_callbacks(execute=True):
        schedule_syncs()

    assert len(published) == 2  # one chain per cloud
    runs_of_first_chain = [args[0] for args in chained_args(published[0])]
    kinds = SyncRun.objects.filter(pk__in=runs_of_first_chain).values_list("kind", flat=True)
    assert sorted(kinds) == ["catalog", "changes", "instances"]


def test_every_kind_is_due_for_a_new_cloud(cloud):
    runs = due_runs()

    assert sorted(run.kind for run in runs) == ["catalog", "changes", "instances"]
    assert all(run.status == "queued" for run in runs)


def test_nothing_is_due_while_runs_are_queued(cloud):
    due_runs()

    assert due_runs() == []


def test_a_kind_is_due_again_after_its_interval(cloud):
    for run in due_runs():
        run.status = "succeeded"
        run.save()

    later = timezone.now() + timedelta(seconds=cloud.changes_sync_seconds + 1)

    assert [run.kind for run in due_runs(now=later)] == ["changes"]


def test_a_kind_is_queued_at_the_last_look_before_its_interval_ends(cloud, settings):
    settings.SYNC_SCHEDULE_SECONDS = 5
    queued = timezone.now()
    for run in due_runs(now=queued):
        run.status = "succeeded"
        run.save()
    interval = timedelta(seconds=cloud.changes_sync_seconds)

    assert due_runs(now=queued + interval - timedelta(seconds=6)) == []
    # The next look, 5 s later, would find the run overdue.
    assert [r.kind for r in due_runs(now=queued + interval - timedelta(seconds=4))] == ["changes"]


def test_a_failing_cloud_backs_off(cloud):
    now = timezone.now()
    for run in due_runs():
        run.status = "failed"
        run.save()

    one_interval = now + timedelta(seconds=cloud.changes_sync_seconds + 1)
    assert due_runs(now=one_interval) == []
    two_intervals = now + timedelta(seconds=2 * cloud.changes_sync_seconds + 1)
    assert [run.kind for run in due_runs(now=two_intervals)] == ["changes"]


def test_a_skipped_run_does_not_postpone_the_next(cloud):
    for run in due_runs():
        run.status = "skipped"
        run.save()

    assert sorted(run.kind for run in due_runs()) == ["catalog", "changes", "instances"]


def overdue(settings) -> timedelta:
    """Longer ago than a message answers for a run."""
    return timedelta(seconds=settings.RESEND_SECONDS + 1)


def test_runs_whose_message_was_lost_are_sent_again_in_order(
    cloud, settings, django_capture_on_commit_callbacks, published
):
    runs = due_runs()
    SyncRun.objects.update(due_at=timezone.now() - overdue(settings))

    with django_capture_on_commit_callbacks(execute=True):
        schedule_syncs()

    assert [run_order(body) for body in published] == [[run.id for run in runs]]
    assert set(SyncRun.objects.values_list("status", flat=True)) == {"queued"}
    assert SyncRun.objects.count() == 3  # nothing more is due while they are under way


def test_runs_just_sent_or_waiting_for_a_retry_are_not_sent_again(
    cloud, settings, django_capture_on_commit_callbacks, published
):
    due_runs()
    SyncRun.objects.update(due_at=timezone.now() + timedelta(seconds=90))  # a retry's countdown

    with django_capture_on_commit_callbacks(execute=True):
        schedule_syncs()

    assert published == []


def test_runs_behind_the_one_that_holds_the_cloud_are_not_sent_again(
    cloud, settings, django_capture_on_commit_callbacks, published
):
    due_runs()
    SyncRun.objects.update(due_at=timezone.now() - overdue(settings))
    SyncRun.objects.filter(kind="catalog").update(status="running")

    with cloud_lease(cloud.id), django_capture_on_commit_callbacks(execute=True):
        schedule_syncs()

    assert published == []


def test_a_run_whose_worker_died_is_queued_again_then_failed(cloud):
    run = SyncRun.objects.create(cloud=cloud, kind="changes", status="running", attempts=1)

    assert lost_runs() == [[run]]  # no one holds the cloud's lease
    run.refresh_from_db()
    assert run.status == "queued"

    SyncRun.objects.filter(pk=run.pk).update(status="running", attempts=SYNC_MAX_ATTEMPTS)
    assert lost_runs() == []
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "Lost: its worker stopped while it ran")


def test_a_broker_that_is_down_leaves_the_runs_to_be_sent_again(cloud, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to the broker")

    monkeypatch.setattr(chain, "delay", down)

    assert schedule_syncs() == 3  # does not fail

    assert set(SyncRun.objects.values_list("status", flat=True)) == {"queued"}


def test_a_run_delivered_twice_runs_once(cloud, simulator):
    run = SyncRun.objects.create(cloud=cloud, kind="instances")
    sync_cloud.apply(args=[run.id])
    simulator.control.clear_requests()

    sync_cloud.apply(args=[run.id])

    run.refresh_from_db()
    assert (run.status, run.attempts) == ("succeeded", 1)
    assert simulator.control.requests() == []


def test_a_run_finding_its_cloud_busy_leaves_a_run_of_another_message_alone(cloud):
    run = SyncRun.objects.create(cloud=cloud, kind="instances", status="running")

    with cloud_lease(cloud.id):
        run_sync(SyncRun.objects.get(pk=run.pk))

    run.refresh_from_db()
    assert run.status == "running"


def test_disabled_clouds_are_not_synced(cloud):
    cloud.enabled = False
    cloud.save()
    factories.CloudFactory(enabled=False)

    assert due_runs() == []
