"""GET /api/projects/, /api/flavors/, /api/networks/ and /api/clouds/: shapes and filters."""

import pytest

from apps.inventory import factories
from apps.inventory.api.serializers import FlavorSerializer, NetworkSerializer
from apps.inventory.models import Network

from .conftest import at
from .helpers import names

pytestmark = pytest.mark.django_db


def test_a_project_has_the_common_fields_of_the_wire_and_its_metadata(api, world):
    project = world.projects["a"]

    (item,) = api.get("/api/projects/", {"cloud": "east"}).json()["results"]

    assert item == {
        "id": str(project.id),
        "realId": project.real_id,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "created": "2026-01-01T00:00:00+00:00",
        "cloudId": "east",
        "cloudType": "openstack",
        "name": "east_RegionOne",
        "metadata": {"entry": [{"key": "region", "value": "RegionOne"}]},
    }


def test_projects_filter_by_name_and_time(api, world):
    factories.ProjectFactory(cloud=world.projects["a"].cloud, region="RegionThree", created=at(5))

    assert names(api.get("/api/projects/", {"name__regex": "Region(One|Two)$"})) == [
        "east_RegionOne",
        "west_RegionTwo",
    ]
    assert names(api.get("/api/projects/", {"created_after": "2026-01-02T00:00:00Z"})) == [
        "east_RegionThree"
    ]
    assert names(api.get("/api/projects/", {"ordering": "-name", "cloud": "east"})) == [
        "east_RegionThree",
        "east_RegionOne",
    ]


def test_a_flavor_is_the_instance_shape_s_flavor_and_its_project(api, world):
    flavor = world.instances["web-3"].flavor

    items = api.get("/api/flavors/", {"project": str(flavor.project_id)}).json()["results"]

    assert {"projectId": str(flavor.project_id)} | FlavorSerializer(flavor).data in items
    assert {item["projectId"] for item in items} == {str(flavor.project_id)}


def test_flavors_filter_by_cloud_and_name_and_order_by_size(api, world):
    factories.FlavorFactory(project=world.projects["b"], name="m1.huge", vcpus=64, ram=1)

    assert names(api.get("/api/flavors/", {"cloud": "west", "name__ic": "HUGE"})) == ["m1.huge"]
    by_vcpus = api.get("/api/flavors/", {"cloud": "west", "ordering": "-vcpus"}).json()
    assert by_vcpus["results"][0]["vcpus"] == 64


def test_a_network_is_the_instance_shape_s_network_and_its_project(api, world):
    network = Network.objects.for_wire().get(project=world.projects["b"])

    (item,) = api.get("/api/networks/", {"cloud": "west"}).json()["results"]

    assert item == {"projectId": str(network.project_id)} | NetworkSerializer(network).data
    assert item["subnets"][0]["cidr"] == network.subnets.get().cidr


def test_networks_filter_by_state_and_project(api, world):
    factories.NetworkFactory(project=world.projects["a"], name="net-down", state="DOWN")
    project_a = str(world.projects["a"].id)

    assert names(api.get("/api/networks/", {"state": "DOWN"})) == ["net-down"]
    assert names(api.get("/api/networks/", {"project": project_a})) == ["net-a", "net-down"]
    assert names(api.get("/api/networks/", {"state": ["ACTIVE", "DOWN"], "cloud": "east"})) == [
        "net-a",
        "net-down",
    ]


def test_a_cloud_shows_its_name_and_type_and_no_credentials(api, world):
    body = api.get("/api/clouds/").json()

    assert body["results"] == [
        {"id": "east", "name": "east", "type": "openstack"},
        {"id": "west", "name": "west", "type": "openstack"},
    ]
    assert "not-a-real-password" not in str(body)


def test_clouds_filter_by_name_and_type(api, world):
    assert names(api.get("/api/clouds/", {"name": "west", "type": "openstack"})) == ["west"]
    assert names(api.get("/api/clouds/", {"name__regex": "^e", "ordering": "-name"})) == ["east"]
    response = api.get("/api/clouds/", {"type": "aws"})
    assert response.status_code == 400
