"""POST /instances: launch instances given in the wiki's instance shape."""

import pytest

from apps.inventory import factories
from apps.inventory.models import Instance
from apps.operations import follow, tasks
from apps.operations.models import ActionItem, Notification

from .helpers import statuses

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


@pytest.fixture
def spec(launch_spec):
    return launch_spec


def test_a_launched_instance_is_queued_at_once_with_its_new_id(act, spec):
    response, _ = act("post", "/instances", [spec])

    assert response.status_code == 200
    (new_id,) = response.json()["queued"]
    instance = Instance.objects.get(id=new_id)
    assert (instance.state, instance.real_id, instance.name) == ("queued", None, spec["name"])
    assert instance.metadata.get().value == "test"
    assert instance.networks.get().name == "admin-net"


def test_a_launched_instance_is_created_in_the_cloud_and_followed_to_launched(
    act, spec, simulator, api
):
    response, work = act("post", "/instances", [spec, {**spec, "name": "second"}])
    work()

    launched = Instance.objects.filter(id__in=response.json()["queued"])
    assert {i.state for i in launched} == {"launched"}
    assert all(i.real_id for i in launched)
    assert statuses(response) == {"succeeded"}
    body = api.get(f"/instances/{launched[0].id}").json()
    assert (body["state"], body["realId"]) == ("launched", launched[0].real_id)


def test_a_launch_the_cloud_refuses_fails_with_its_message_and_a_letter(act, spec):
    response, work = act("post", "/instances", [{**spec, "availabilityZone": "nowhere"}])
    work()

    (new_id,) = response.json()["queued"]
    item = ActionItem.objects.get(action_id=response.json()["actionId"])
    assert item.status == "failed"
    assert item.reason == "400: The requested availability zone is not available"
    assert not Instance.objects.filter(id=new_id).exists()  # it never existed in the cloud
    assert Notification.objects.get().message == (
        f"Failed to launch instance {spec['name']} ({new_id}): {item.reason}"
    )


def test_a_launch_that_ends_in_error_fails(act, spec, simulator, monkeypatch):
    monkeypatch.setattr(tasks, "start_following", lambda project_id: None)
    response, work = act("post", "/instances", [spec])
    work()
    instance = Instance.objects.get(id=response.json()["queued"][0])
    simulator.control.update_server(instance.real_id, status="ERROR")

    follow.poll(instance.project_id)

    item = ActionItem.objects.get(action_id=response.json()["actionId"])
    assert (item.status, item.reason) == ("failed", "The instance went into error")
    instance.refresh_from_db()
    assert instance.state == "error"


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"projectId": "nope"}, 404, "Project nope does not exist"),
        ({"flavor": {"id": "nope"}}, 404, "Flavor nope does not exist"),
        ({"image": {"id": "nope"}}, 404, "Image nope does not exist"),
        ({"keypair": {"name": "nope"}}, 404, "Keypair nope does not exist in project sim_"),
        ({"name": ""}, 400, "instance 0: name: This field may not be blank."),
        ({"flavor": "m1.small"}, 400, "instance 0: flavor: Invalid data. Expected a dict"),
        (
            {"metadata": {"entry": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]}},
            400,
            "instance 0: metadata: entry: Keys appear more than once.",
        ),
    ],
)
def test_a_wrong_instance_is_refused_and_nothing_is_created(api, spec, change, status, message):
    response = api.post("/instances", [{**spec, **change}], format="json")

    assert response.status_code == status
    assert response.json()["message"].startswith(message)
    assert not Instance.objects.filter(name=spec["name"]).exists()
    assert not ActionItem.objects.exists()


def test_a_flavor_of_another_project_is_400(api, spec):
    foreign = factories.FlavorFactory()

    response = api.post("/instances", [{**spec, "flavor": {"id": str(foreign.id)}}], format="json")

    assert response.status_code == 400
    assert response.json()["message"].startswith(f"Flavor {foreign.id} is not in project")
