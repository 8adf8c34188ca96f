"""The listings show only the rows of the user's projects; without credentials, 401."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from apps.inventory import factories
from apps.operations import services
from tests.clients import client_of, granted

from .helpers import names

pytestmark = pytest.mark.django_db

LISTINGS = ["instances", "images", "projects", "flavors", "networks", "clouds", "actions"]


@pytest.fixture
def actions(world):
    for name in ("web-1", "web-3"):
        services.instance_action("rebootInstance", [str(world.instances[name].id)])


@pytest.mark.parametrize("listing", LISTINGS)
def test_without_credentials_it_is_a_401(world, listing):
    response = APIClient().get(f"/api/{listing}/")

    assert response.status_code == 401
    assert response.json() == {
        "message": "Authentication credentials were not provided: send the header "
        "`Authorization: Token <key>` (or `Bearer <key>`)"
    }


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_user_without_grants_sees_nothing(world, actions, listing):
    response = client_of(User.objects.create_user("nobody")).get(f"/api/{listing}/")

    assert response.json() == {"next": None, "previous": None, "results": []}


EXPECTED_A = {
    "instances": ["Web-Admin", "db-1", "queued-1", "web-1", "web-2"],
    "images": ["image-a"],
    "projects": ["east_RegionOne"],
    "networks": ["net-a"],
    "clouds": ["east"],
}


@pytest.mark.parametrize("listing", sorted(EXPECTED_A))
def test_a_viewer_of_project_a_sees_only_its_rows(viewer_a, actions, listing):
    assert names(viewer_a.get(f"/api/{listing}/")) == EXPECTED_A[listing]


def test_a_viewer_of_project_a_sees_only_its_flavors(viewer_a, world):
    items = viewer_a.get("/api/flavors/").json()["results"]

    assert items
    assert {item["projectId"] for item in items} == {str(world.projects["a"].id)}


def test_a_viewer_of_project_a_sees_only_its_actions(viewer_a, actions):
    (item,) = viewer_a.get("/api/actions/").json()["results"]

    (only,) = viewer_a.get(f"/actions/{item['id']}").json()["items"]
    assert only["name"] == "web-1"


def test_a_cloud_grant_covers_every_project_of_the_cloud(world):
    user = User.objects.create_user("cloud-viewer")
    user.grants.create(cloud=world.projects["b"].cloud, role="viewer")

    assert names(client_of(user).get("/api/instances/")) == ["cache-1", "web-3"]


def test_filters_cannot_reach_beyond_the_user_s_projects(viewer_a, world):
    project_b = str(world.projects["b"].id)

    assert names(viewer_a.get("/api/instances/", {"project": project_b})) == []
    assert names(viewer_a.get("/api/instances/", {"cloud": "west"})) == []


def test_a_superuser_sees_every_cloud_even_one_without_projects(api, world):
    factories.CloudFactory(name="empty")

    assert names(api.get("/api/clouds/")) == ["east", "empty", "west"]


def test_an_operator_sees_what_a_viewer_does(world):
    operator = client_of(granted("operator-a", operator=world.projects["a"]))

    assert names(operator.get("/api/instances/")) == EXPECTED_A["instances"]
