"""A page costs the same number of queries whatever its size: no query per row."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.inventory import factories
from apps.operations import services
from tests.clients import client_of, granted

pytestmark = pytest.mark.django_db

LISTINGS = ["instances", "images", "projects", "flavors", "networks", "clouds", "actions"]


@pytest.fixture
def many(world):
    """Twelve or more rows of each kind in project a, with everything their shapes show."""
    project = world.projects["a"]
    for n in range(12):
        cloud = factories.CloudFactory(name=f"cloud-{n}")
        other = factories.ProjectFactory(cloud=cloud)
        factories.ProjectMetadataFactory(project=other)
        image = factories.ImageFactory(cloud=project.cloud, projects=[project, other])
        factories.ImageMetadataFactory(image=image)
        network = factories.NetworkFactory(project=project)
        factories.SubnetFactory(network=network)
        instance = factories.InstanceFactory(
            project=project,
            image=image,
            keypair=factories.KeypairFactory(project=project),
            state="launched",
        )
        instance.networks.add(network)
        factories.InstanceMetadataFactory(instance=instance)
        services.instance_action("rebootInstance", [str(instance.id)])
    return world


def queries(user, listing: str, page_size: int) -> int:
    client = client_of(User.objects.get(pk=user.pk))  # as a request has it: nothing cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/{listing}/", {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return len(captured)


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_superuser_s_page_of_ten_costs_what_a_page_of_two_does(admin_user, many, listing):
    assert queries(admin_user, listing, 10) == queries(admin_user, listing, 2)


@pytest.mark.parametrize("listing", ["instances", "images", "flavors", "networks", "actions"])
def test_a_viewer_s_page_of_ten_costs_what_a_page_of_two_does(many, listing):
    viewer = granted("viewer", viewer=many.projects["a"])

    assert queries(viewer, listing, 10) == queries(viewer, listing, 2)
