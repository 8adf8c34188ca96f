"""Tasks are acknowledged late, so a message may come again: an item is never done twice."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.clouds import drivers
from apps.operations import attempts, calls, tasks
from apps.operations.models import ActionItem
from apps.operations.pacing import CallSlots

from .helpers import action_calls, carry_out, ids, instances, states

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


class WorkerKilled(BaseException):
    """Stands for the worker dying: nothing after it runs."""


def kill_after_the_call(monkeypatch):
    def die(item, new_id):
        raise WorkerKilled

    monkeypatch.setattr(calls, "record_accepted", die)


def lapse_the_try(item: ActionItem) -> None:
    """The try under way is taken to be cut short (ACTIONS_ATTEMPT_SECONDS have passed)."""
    ActionItem.objects.filter(pk=item.pk).update(due_at=timezone.now() - timedelta(seconds=1))


def cut_short_before_the_call(item: ActionItem) -> None:
    """The item's first try began (in a second of its own: the cloud stamps changes in whole
    seconds) and its worker died before calling; the try has lapsed."""
    time.sleep(1.05 - time.time() % 1)
    ActionItem.objects.filter(pk=item.pk).update(
        status="running", attempts=1, started_at=timezone.now()
    )
    lapse_the_try(item)


def queued_item(act, path, body) -> ActionItem:
    """The first item of the batch the request queued (its work not done)."""
    response, _ = act("put" if path != "/instances" else "post", path, body)
    return ActionItem.objects.filter(action_id=response.json()["actionId"]).first()


def test_a_message_delivered_again_after_its_item_is_done_does_nothing(act, synced, simulator):
    found = instances(1)
    item = queued_item(act, "/instances/reboot", ids(found))
    tasks.run_items.apply(([str(item.id)],))

    tasks.run_items.apply(([str(item.id)],))

    assert action_calls(simulator, found) == 1
    item.refresh_from_db()
    assert (item.status, item.attempts) == ("succeeded", 1)


def test_a_call_made_before_the_worker_died_is_not_made_again(act, synced, simulator, monkeypatch):
    found = instances(1)
    item = queued_item(act, "/instances/reboot", ids(found))
    with monkeypatch.context() as patched:
        kill_after_the_call(patched)
        with pytest.raises(WorkerKilled):
            tasks.run_items.apply(([str(item.id)],))
    lapse_the_try(item)

    tasks.run_items.apply(([str(item.id)],))  # the message comes again

    assert action_calls(simulator, found) == 1
    item.refresh_from_db()
    assert (item.status, item.attempts) == ("succeeded", 1)
    assert states(found) == {"launched"}


def test_a_resumed_call_is_followed_from_when_the_try_began(act, synced, simulator, monkeypatch):
    found = instances(1)
    simulator.control.set_delay(3600)  # the reboot stays under way
    item = queued_item(act, "/instances/reboot", ids(found))
    with monkeypatch.context() as patched:
        kill_after_the_call(patched)
        with pytest.raises(WorkerKilled):
            tasks.run_items.apply(([str(item.id)],))
    item.refresh_from_db()
    started_at = item.started_at
    lapse_the_try(item)

    carry_out(str(item.id), 0)

    item.refresh_from_db()
    assert (item.status, item.accepted_at) == ("running", started_at)


def test_a_message_delivered_again_while_its_try_may_be_under_way_waits_for_it(
    act, synced, simulator
):
    found = instances(1)
    item = queued_item(act, "/instances/reboot", ids(found))
    ActionItem.objects.filter(pk=item.pk).update(
        status="running",
        attempts=1,
        started_at=timezone.now(),
        due_at=timezone.now() + timedelta(minutes=5),
    )

    result = carry_out(str(item.id), 0)

    assert (result.next, result.attempts) == (attempts.Next.LATER, 0)
    assert 290 < result.countdown <= 300  # when that try would be taken to be cut short
    assert action_calls(simulator, found) == 0
    item.refresh_from_db()
    assert (item.status, item.attempts) == ("running", 1)


def test_a_try_cut_short_is_resumed_by_one_message_only(act, synced, simulator):
    found = instances(1)
    item = queued_item(act, "/instances/reboot", ids(found))
    cut_short_before_the_call(item)
    first, second = attempts.load([str(item.id)]), attempts.load([str(item.id)])  # read together

    with CallSlots() as slots:
        results = [attempts.carry_out(loaded[str(item.id)], 0, slots) for loaded in (first, second)]

    assert [result.next for result in results] == [attempts.Next.FOLLOW, attempts.Next.NOTHING]
    assert action_calls(simulator, found) == 1


def test_a_call_the_worker_died_before_making_is_made_once(act, synced, simulator):
    found = instances(1)
    item = queued_item(act, "/instances/reboot", ids(found))
    cut_short_before_the_call(item)

    tasks.run_items.apply(([str(item.id)],))

    assert action_calls(simulator, found) == 1
    item.refresh_from_db()
    assert item.status == "succeeded"


def test_a_launch_made_before_the_worker_died_keeps_the_server_it_made(
    act, synced, simulator, monkeypatch, launch_spec
):
    item = queued_item(act, "/instances", [launch_spec])
    with monkeypatch.context() as patched:
        kill_after_the_call(patched)
        with pytest.raises(WorkerKilled):
            tasks.run_items.apply(([str(item.id)],))
    lapse_the_try(item)

    tasks.run_items.apply(([str(item.id)],))

    item.refresh_from_db()
    assert item.status == "succeeded"
    servers = drivers.for_cloud(synced).servers("RegionOne")
    made = [server.real_id for server in servers if server.name == launch_spec["name"]]
    assert made == [item.instance.real_id]


def test_a_stale_message_leaves_the_item_to_the_newer_one(act, synced, simulator):
    found = instances(1)
    item = queued_item(act, "/instances/reboot", ids(found))
    ActionItem.objects.filter(pk=item.pk).update(attempts=1)  # a retry is queued after try 1

    result = carry_out(str(item.id), 0)

    assert result.next is attempts.Next.NOTHING
    assert action_calls(simulator, found) == 0
