"""What actions leave in the history: each item's status as it moves, and what the action did
to its instance, with the action, the item and the user as the cause."""

import pytest

from apps.history.models import Event
from apps.inventory.models import Flavor
from apps.operations.models import Notification
from tests.operations.helpers import ids, instances

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


def rows(**filters) -> list[tuple]:
    found = Event.objects.filter(**filters).order_by("id")
    return list(found.values_list("field", "old_value", "new_value"))


def test_a_reboot_leaves_its_item_statuses_and_the_instance_states(act, synced, admin_user):
    found = instances(1)

    response, work = act("put", "/instances/reboot", ids(found))
    work()

    action = response.json()["actionId"]
    assert rows(action_id=action, kind="action_item") == [
        ("status", None, "queued"),
        ("status", "queued", "running"),
        ("status", "running", "succeeded"),
    ]
    assert rows(action_id=action, kind="instance") == [
        ("state", "launched", "rebooting"),
        ("state", "rebooting", "launched"),
    ]
    event = Event.objects.filter(action_id=action).first()
    assert (event.operation, event.user, event.project_id) == (
        "rebootInstance",
        admin_user.username,
        found[0].project_id,
    )


def test_a_resize_records_the_old_and_new_flavor(act, synced):
    found = instances(1)
    flavor = Flavor.objects.filter(project=found[0].project).exclude(id=found[0].flavor_id).first()

    response, work = act("put", f"/instances/resize/{flavor.id}", ids(found))
    work()

    changed = rows(action_id=response.json()["actionId"], field="flavor_id")
    assert changed == [("flavor_id", str(found[0].flavor_id), str(flavor.id))]


def test_a_rename_records_both_names(act, synced):
    found = instances(1)

    response, work = act("put", "/instances/rename", {ids(found)[0]: "renamed"})
    work()

    event = Event.objects.get(action_id=response.json()["actionId"], field="name")
    assert (event.old_value, event.new_value, event.name) == (found[0].name, "renamed", "renamed")


def test_a_skipped_item_is_one_event(act, synced):
    found = instances(1, state="paused")

    response, _ = act("put", "/instances/pause", ids(found))

    assert rows(action_id=response.json()["actionId"]) == [("status", None, "skipped")]


def test_a_batch_records_its_history_in_one_insert(act, synced, django_assert_max_num_queries):
    found = instances(5)
    act("put", "/instances/reboot", ids(found[:1]))
    with django_assert_max_num_queries(100) as captured:
        act("put", "/instances/reboot", ids(found[1:]))

    inserts = [q for q in captured if 'INSERT INTO "history_event"' in q["sql"]]
    assert len(inserts) == 1
    assert Event.objects.filter(kind="action_item", new_value="queued").count() == 5


def test_a_failed_item_tells_its_letter(act, synced, simulator):
    found = instances(1)
    simulator.control.update_server(found[0].real_id, status="SHUTOFF")  # unknown to Perspective

    response, work = act("put", "/instances/reboot", ids(found))
    work()

    action = response.json()["actionId"]
    notification = Notification.objects.get(action_id=action)
    event = Event.objects.get(action_id=action, kind="notification")
    assert (event.entity_id, event.field, event.old_value, event.new_value) == (
        str(notification.id),
        "message",
        None,
        notification.message,
    )
    assert (event.project_id, event.operation, event.name) == (
        found[0].project_id,
        "rebootInstance",
        found[0].name,
    )
