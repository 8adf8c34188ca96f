"""GET /api/actions/: GET /actions/{id}'s shape without the items, filters, access."""

import pytest
from django.contrib.auth.models import User

from apps.operations import services
from apps.operations.models import Action
from tests.clients import client_of, granted

from .conftest import at

pytestmark = pytest.mark.django_db

URL = "/api/actions/"


@pytest.fixture
def actions(world):
    """A reboot of web-1 and web-3 (one item per project) by alice on the 2nd, one item failed;
    a hard reboot of cache-1 (project b) by bob on the 3rd; a rename asked by nobody on the 4th."""
    alice, bob = User.objects.create_user("alice"), User.objects.create_user("bob")
    ids = {name: str(instance.id) for name, instance in world.instances.items()}
    reboot = services.instance_action("rebootInstance", [ids["web-1"], ids["web-3"]]).action
    reboot.items.filter(name="web-3").update(status="failed", reason="409: conflict")
    hard_reboot = services.instance_action("hardRebootInstance", [ids["cache-1"]]).action
    rename = services.rename({ids["web-2"]: "web-two"}).action
    for action, day, user in ((reboot, 2, alice), (hard_reboot, 3, bob), (rename, 4, None)):
        Action.objects.filter(pk=action.pk).update(requested_at=at(day), requested_by=user)
    return {"reboot": reboot, "hard_reboot": hard_reboot, "rename": rename}


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return [item["operation"] for item in response.json()["results"]]


def test_the_newest_first(api, actions):
    assert listed(api) == ["renameInstance", "hardRebootInstance", "rebootInstance"]


def test_an_item_is_the_detail_without_its_items(api, actions):
    for item in api.get(URL).json()["results"]:
        detail = api.get(f"/actions/{item['id']}").json()
        del detail["items"]
        assert item == detail


def test_counts_are_per_status(api, actions):
    (reboot,) = api.get(URL, {"operation": "rebootInstance"}).json()["results"]

    assert reboot["counts"] == {"queued": 1, "failed": 1}
    assert reboot["requestedBy"] == "alice"


def test_filters(api, actions, world):
    project_b = str(world.projects["b"].id)

    assert listed(api, operation=["hardRebootInstance", "renameInstance"]) == [
        "renameInstance",
        "hardRebootInstance",
    ]
    assert listed(api, status="failed") == ["rebootInstance"]
    assert listed(api, status=["failed", "queued"], project=project_b) == [
        "hardRebootInstance",
        "rebootInstance",
    ]
    assert listed(api, cloud="east") == ["renameInstance", "rebootInstance"]
    assert listed(api, user="bob") == ["hardRebootInstance"]
    assert listed(api, requested_after="2026-01-03T00:00:00Z") == [
        "renameInstance",
        "hardRebootInstance",
    ]
    assert listed(api, requested_before="2026-01-03T00:00:00Z") == ["rebootInstance"]
    assert listed(api, ordering="requested") == [
        "rebootInstance",
        "hardRebootInstance",
        "renameInstance",
    ]
    assert listed(api, ordering="operation") == [
        "hardRebootInstance",
        "rebootInstance",
        "renameInstance",
    ]


def test_a_bad_filter_is_a_400(api, actions):
    response = api.get(URL, {"status": "lost"})

    assert response.status_code == 400
    assert response.json()["message"].startswith("status: Select a valid choice.")


def test_a_viewer_sees_the_actions_of_their_projects_and_their_own(world, actions):
    viewer = granted("viewer-b", viewer=world.projects["b"])
    Action.objects.create(operation="deleteInstance", requested_by=viewer, requested_at=at(5))

    assert listed(client_of(viewer)) == ["deleteInstance", "hardRebootInstance", "rebootInstance"]


def test_a_viewer_sees_only_the_items_of_their_projects(world, actions):
    viewer = client_of(granted("viewer-a", viewer=world.projects["a"]))
    reboot = str(actions["reboot"].id)

    detail = viewer.get(f"/actions/{reboot}").json()
    listed_reboot = next(item for item in viewer.get(URL).json()["results"] if item["id"] == reboot)

    assert [item["name"] for item in detail["items"]] == ["web-1"]
    assert detail["counts"] == listed_reboot["counts"] == {"queued": 1}
