"""Tasks are acknowledged late, so a message may come again: an item is never done twice."""

import time

import pytest
from django.utils import timezone

from apps.clouds import drivers
from apps.operations import calls, execute, tasks
from apps.operations.models import ActionItem

from .conftest import action_calls, carry_out, ids, instances, states

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


class WorkerKilled(BaseException):
    """Stands for the worker dying: nothing after it runs."""


def kill_after_the_call(monkeypatch):
    def die(item, new_id):
        raise WorkerKilled

    monkeypatch.setattr(calls, "record_accepted", die)


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

    tasks.run_items.apply(([str(item.id)],))  # the message comes again

    assert action_calls(simulator, found) == 1
    item.refresh_from_db()
    assert (item.status, item.attempts) == ("succeeded", 1)
    assert states(found) == {"launched"}


def test_a_call_the_worker_died_before_making_is_made_once(act, synced, simulator):
    found = instances(1)
    item = queued_item(act, "/instances/reboot", ids(found))
    time.sleep(1.05 - time.time() % 1)  # the cloud stamps changes in whole seconds
    ActionItem.objects.filter(pk=item.pk).update(
        status="running", attempts=1, started_at=timezone.now()
    )

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

    assert result.next is execute.Next.NOTHING
    assert action_calls(simulator, found) == 0
