import uuid

import pytest

from apps.inventory import factories
from tests.wiki import IMAGE_EXTRA_FIELDS, INSTANCE_EXAMPLE

pytestmark = pytest.mark.django_db


def test_image_has_the_wiki_shape(api):
    projects = factories.ProjectFactory.create_batch(2)
    image = factories.ImageFactory(cloud=projects[0].cloud, projects=projects)
    factories.ImageMetadataFactory(image=image)

    body = api.get(f"/images/{image.id}").json()

    assert set(body) == set(INSTANCE_EXAMPLE["image"]) | {"checksum"}
    assert body["realId"] == image.real_id
    assert sorted(body["projectId"]) == sorted(str(project.id) for project in projects)
    assert body["metadata"]["entry"] == [{"key": "os_distro", "value": image.name.split("-")[0]}]


def test_snapshot_names_its_instance(api):
    instance = factories.InstanceFactory()
    snapshot = factories.ImageFactory(cloud=instance.cloud, instance=instance)

    body = api.get(f"/images/{snapshot.id}").json()

    assert body["instanceId"] == str(instance.id)
    assert set(body) <= set(INSTANCE_EXAMPLE["image"]) | IMAGE_EXTRA_FIELDS


def test_unknown_image_is_404_naming_the_id(api):
    unknown = uuid.uuid4()

    response = api.get(f"/images/{unknown}")

    assert response.status_code == 404
    assert response.json() == {"message": f"Image {unknown} does not exist"}


def test_malformed_image_id_is_404(api):
    response = api.get("/images/nope")

    assert response.status_code == 404
    assert response.json() == {"message": "Image nope does not exist"}
