"""POST /api/clouds/{name}/sync and GET /api/syncs/: a sync asked for over the API, by an
operator of the whole cloud, and the runs of the clouds a user sees."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.clouds.models import SyncRun
from apps.inventory import factories
from apps.inventory.models import Grant, Instance
from tests.clients import client_of, granted

pytestmark = pytest.mark.django_db


@pytest.fixture
def east():
    """A cloud of two projects."""
    cloud = factories.CloudFactory(name="east")
    factories.ProjectFactory(cloud=cloud, region="RegionOne")
    factories.ProjectFactory(cloud=cloud, region="RegionTwo")
    return cloud


def sync(client, name: str, body=None, capture=None):
    with capture() as callbacks:
        response = client.post(f"/api/clouds/{name}/sync", body, format="json")
    return response, callbacks


def test_a_full_sync_is_queued_by_default(api, east, django_capture_on_commit_callbacks):
    response, callbacks = sync(api, "east", capture=django_capture_on_commit_callbacks)

    assert response.status_code == 202
    assert [(run["kind"], run["status"]) for run in response.json()] == [
        ("catalog", "queued"),
        ("instances", "queued"),
    ]
    assert response.json()[0]["cloudId"] == "east"
    assert sorted(SyncRun.objects.values_list("kind", flat=True)) == ["catalog", "instances"]
    assert len(callbacks) == 1  # one chain, handed to a worker when the request commits


def test_the_kinds_can_be_chosen(api, east, django_capture_on_commit_callbacks):
    response, _ = sync(
        api, "east", {"kinds": ["changes"]}, capture=django_capture_on_commit_callbacks
    )

    assert [run["kind"] for run in response.json()] == ["changes"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kinds": ["everything"]}, '"everything" is not a valid choice'),
        ({"kinds": []}, "kinds: This list may not be empty."),
        ({"kinds": ["changes", "changes"]}, "A kind appears more than once"),
    ],
)
def test_bad_kinds_are_400_and_queue_nothing(api, east, body, message):
    response = api.post("/api/clouds/east/sync", body, format="json")

    assert response.status_code == 400
    assert message in response.json()["message"]
    assert not SyncRun.objects.exists()


def test_an_unknown_cloud_is_404(api, east):
    response = api.post("/api/clouds/north/sync")

    assert response.status_code == 404
    assert response.json() == {"message": "Cloud north does not exist"}


@pytest.mark.parametrize(
    ("role", "whole_cloud", "status"),
    [
        ("viewer", True, 403),
        ("operator", False, 403),  # one of its two projects
        ("operator", True, 202),
    ],
)
def test_only_an_operator_of_every_project_of_the_cloud_syncs_it(
    east, role, whole_cloud, status, django_capture_on_commit_callbacks
):
    user = granted("someone")
    target = {"cloud": east} if whole_cloud else {"project": east.projects.first()}
    Grant.objects.create(user=user, role=role, **target)

    response, _ = sync(client_of(user), "east", capture=django_capture_on_commit_callbacks)

    assert response.status_code == status
    assert SyncRun.objects.exists() is (status == 202)
    if status == 403:
        assert "operator of every project of cloud east" in response.json()["message"]


def test_a_cloud_the_user_sees_nothing_of_is_404(east):
    other = factories.CloudFactory(name="west")
    user = granted("someone", operator=factories.ProjectFactory(cloud=other))

    assert client_of(user).post("/api/clouds/east/sync").status_code == 404


def test_anonymous_is_401(anonymous, east):
    assert anonymous.post("/api/clouds/east/sync").status_code == 401


@pytest.mark.simulator(servers=7, projects=1)
@pytest.mark.usefixtures("eager")
def test_the_runs_sync_the_cloud_and_are_listed(api, cloud, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post(f"/api/clouds/{cloud.name}/sync").json()

    ids = [run["id"] for run in queued]
    listed = api.get("/api/syncs/", {"id": ids}).json()["results"]
    assert [(run["kind"], run["status"], run["created"]) for run in listed] == [
        ("instances", "succeeded", 7),
        ("catalog", "succeeded", listed[1]["created"]),
    ]
    assert all(run["finishedAt"] >= run["startedAt"] for run in listed)
    assert Instance.objects.count() == 7


def run(cloud, kind: str, status: str, minutes_ago: int, **fields) -> SyncRun:
    recorded = SyncRun.objects.create(cloud=cloud, kind=kind, status=status, **fields)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    SyncRun.objects.filter(pk=recorded.pk).update(queued_at=at, finished_at=at)
    return recorded


@pytest.fixture
def runs(east):
    west = factories.CloudFactory(name="west")
    factories.ProjectFactory(cloud=west)
    return {
        "old catalog": run(east, "catalog", "succeeded", 30),
        "new catalog": run(east, "catalog", "failed", 20, error="503: down"),
        "changes": run(east, "changes", "succeeded", 10),
        "skipped": run(east, "changes", "skipped", 5, error="another sync holds the cloud"),
        "west": run(west, "instances", "succeeded", 1),
    }


def listed(client, **params) -> list[int]:
    response = client.get("/api/syncs/", params)
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_runs_are_listed_newest_first(api, runs):
    order = ["west", "skipped", "changes", "new catalog", "old catalog"]

    assert listed(api) == [runs[name].id for name in order]


def test_latest_is_the_last_run_of_each_kind_that_was_not_skipped(api, runs):
    assert listed(api, latest="true") == [runs[n].id for n in ("west", "changes", "new catalog")]
    assert listed(api, latest="true", cloud="east", kind="catalog") == [runs["new catalog"].id]


def test_filters(api, runs):
    assert listed(api, status="failed") == [runs["new catalog"].id]
    assert listed(api, cloud="west") == [runs["west"].id]
    assert listed(api, kind=["catalog", "instances"], cloud="east") == [
        runs["new catalog"].id,
        runs["old catalog"].id,
    ]
    since = (timezone.now() - timedelta(minutes=15)).isoformat()
    assert listed(api, queued_after=since, cloud="east") == [runs["skipped"].id, runs["changes"].id]


def test_an_item_carries_its_counts_and_error(api, runs):
    (item,) = api.get("/api/syncs/", {"id": runs["new catalog"].id}).json()["results"]

    assert item["error"] == "503: down"
    assert {"created", "updated", "deleted", "unchanged", "attempts"} <= set(item)


def test_a_viewer_sees_the_runs_of_the_clouds_of_their_projects_only(runs, east):
    viewer = client_of(granted("viewer", viewer=east.projects.first()))

    assert set(listed(viewer)) == {runs[name].id for name in runs if name != "west"}


@pytest.mark.parametrize("params", [{"kind": "all"}, {"latest": "yes"}, {"id": "x"}, {"clod": "a"}])
def test_bad_parameters_are_400(api, params):
    response = api.get("/api/syncs/", params)

    assert response.status_code == 400
    assert response.json()["message"]
