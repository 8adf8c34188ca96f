"""GET /api/events/: the history, newest first, filtered, a page at a time, per project."""

import pytest

from apps.history.models import Event
from apps.operations import services
from tests.clients import client_of, granted

from .conftest import at

pytestmark = pytest.mark.django_db

URL = "/api/events/"


@pytest.fixture
def events(world):
    """A reboot of web-1 (project a, cloud east) and web-3 (project b, cloud west); a rename
    of web-2 (project a); each item queued, each instance shown rebooting."""
    ids = {name: str(instance.id) for name, instance in world.instances.items()}
    reboot = services.instance_action("rebootInstance", [ids["web-1"], ids["web-3"]]).action
    rename = services.rename({ids["web-2"]: "web-two"}).action
    Event.objects.filter(action_id=reboot.id).update(time=at(2))
    Event.objects.filter(action_id=rename.id).update(time=at(3))
    return {"reboot": reboot, "rename": rename}


def listed(client, **params) -> list[tuple]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return [(e["name"], e["field"], e.get("newValue")) for e in response.json()["results"]]


def test_the_newest_first_with_the_cause(api, events, world):
    results = api.get(URL).json()["results"]

    assert [e["id"] for e in results] == sorted((e["id"] for e in results), reverse=True)
    first = results[-1]
    assert first == {
        "id": first["id"],
        "time": "2026-01-02T00:00:00.000000+00:00",
        "cloudId": "east",
        "projectId": str(world.projects["a"].id),
        "kind": "action_item",
        "entityId": first["entityId"],
        "name": "web-1",
        "field": "status",
        "newValue": "queued",
        "actionId": str(events["reboot"].id),
        "itemId": first["entityId"],
        "operation": "rebootInstance",
    }


def test_filters(api, events, world):
    assert listed(api, kind="instance", cloud="west") == [("web-3", "state", "rebooting")]
    assert listed(api, action=str(events["rename"].id)) == [("web-2", "status", "queued")]
    assert listed(api, project=str(world.projects["b"].id), field="status") == [
        ("web-3", "status", "queued")
    ]
    web1 = str(world.instances["web-1"].id)
    assert listed(api, entity=web1) == [("web-1", "state", "rebooting")]
    assert len(listed(api, time_after="2026-01-03T00:00:00Z")) == 1
    assert len(listed(api, time_before="2026-01-03T00:00:00Z")) == 4


def test_pages_follow_each_other_without_gap_or_repeat(api, events):
    everything = [e["id"] for e in api.get(URL).json()["results"]]
    seen, url = [], URL + "?page_size=2"
    while url:
        page = api.get(url).json()
        seen += [e["id"] for e in page["results"]]
        url = page["next"]

    assert seen == everything


def test_a_viewer_never_sees_another_projects_events(world, events):
    viewer = client_of(granted("viewer-a", viewer=world.projects["a"]))

    names = {name for name, _, _ in listed(viewer)}
    hidden = listed(viewer, project=str(world.projects["b"].id))

    assert names == {"web-1", "web-2"}
    assert hidden == []


def test_an_unknown_filter_is_a_400(api, events):
    response = api.get(URL, {"since": "yesterday"})

    assert response.status_code == 400
    assert response.json()["message"].startswith("Unknown parameters since")


@pytest.mark.parametrize("run", ["null", "-9223372036854775809", "9223372036854775808", "0"])
def test_a_sync_run_that_is_no_run_id_is_a_400(api, run):
    response = api.get(URL, {"sync_run": run})

    assert response.status_code == 400
    assert response.json()["message"].startswith("sync_run")
