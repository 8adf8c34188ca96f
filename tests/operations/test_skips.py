"""Per instance: what its cloud does not support, or Nova would refuse, is skipped with why."""

import pytest

from apps.clouds.choices import Operation
from apps.clouds.drivers.openstack import OpenStackDriver
from apps.inventory import factories
from apps.operations.models import ActionItem

pytestmark = pytest.mark.django_db


def put(api, path, *found):
    return api.put(path, [str(instance.id) for instance in found], format="json")


def skipped(response) -> dict[str, str]:
    return {entry["id"]: entry["reason"] for entry in response.json()["skipped"]}


@pytest.mark.parametrize(
    ("path", "state", "reason"),
    [
        ("/instances/reboot", "shutoff", "Cannot reboot an instance in state shutoff"),
        ("/instances/start", "launched", "Cannot start an instance in state launched"),
        ("/instances/pause", "paused", "Cannot pause an instance in state paused"),
        ("/instances/resume", "launched", "Cannot resume an instance in state launched"),
        ("/instances/suspend", "error", "Cannot suspend an instance in state error"),
        (
            "/instances/hard-reboot",
            "rebooting",
            "Cannot hard reboot an instance in state rebooting",
        ),
        ("/instances/shutdown", "resizing", "Cannot shut down an instance in state resizing"),
    ],
)
def test_an_operation_nova_would_refuse_in_that_state_is_skipped(api, path, state, reason):
    instance = factories.InstanceFactory(state=state)

    response = put(api, path, instance)

    assert response.status_code == 200
    assert response.json()["queued"] == []
    assert skipped(response) == {str(instance.id): reason}
    instance.refresh_from_db()
    assert instance.state == state
    item = ActionItem.objects.get()
    assert (item.status, item.reason) == ("skipped", reason)


def test_a_locked_instance_is_skipped(api):
    instance = factories.InstanceFactory(state="launched", is_locked=True)

    assert skipped(put(api, "/instances/reboot", instance)) == {
        str(instance.id): "The instance is locked"
    }


def test_an_operation_the_cloud_type_does_not_support_is_skipped(api, monkeypatch):
    monkeypatch.setattr(OpenStackDriver, "operations", frozenset({Operation.START_INSTANCE}))
    instance = factories.InstanceFactory(state="launched")

    assert skipped(put(api, "/instances/reboot", instance)) == {
        str(instance.id): "Clouds of type openstack do not support rebootInstance"
    }


def test_only_the_instances_that_may_go_are_queued(api, django_capture_on_commit_callbacks):
    ready = factories.InstanceFactory(state="launched")
    stopped = factories.InstanceFactory(state="shutoff")

    with django_capture_on_commit_callbacks() as callbacks:
        response = put(api, "/instances/reboot", ready, stopped)

    assert response.json()["queued"] == [str(ready.id)]
    assert list(skipped(response)) == [str(stopped.id)]
    assert len(callbacks) == 1
    ready.refresh_from_db()
    assert ready.state == "rebooting"


def test_a_batch_with_nothing_to_do_queues_no_work(api, django_capture_on_commit_callbacks):
    stopped = factories.InstanceFactory(state="shutoff")

    with django_capture_on_commit_callbacks() as callbacks:
        put(api, "/instances/reboot", stopped)

    assert ActionItem.objects.get().status == "skipped"
    assert callbacks == []
