import uuid
from datetime import datetime

import pytest

from apps.inventory import factories
from tests.wiki import IMAGE_EXTRA_FIELDS, INSTANCE_EXAMPLE, INSTANCE_EXTRA_FIELDS

pytestmark = pytest.mark.django_db


def assert_same_shape(actual, example, extra=frozenset(), path="instance"):
    """Same keys (plus the documented extras) and the same JSON types, recursively."""
    assert type(actual) is type(example), f"{path}: {type(actual)} is not {type(example)}"
    if isinstance(example, dict):
        assert set(example) <= set(actual), f"{path}: missing {set(example) - set(actual)}"
        assert set(actual) - set(example) <= extra, (
            f"{path}: unexpected {set(actual) - set(example)}"
        )
        for key, value in example.items():
            nested_extra = IMAGE_EXTRA_FIELDS if key == "image" else frozenset()
            assert_same_shape(actual[key], value, nested_extra, f"{path}.{key}")
    elif isinstance(example, list) and example:
        assert actual, f"{path}: empty list"
        for item in actual:
            assert_same_shape(item, example[0], frozenset(), f"{path}[]")


@pytest.fixture
def instance():
    """An instance like the wiki's: region metadata, a snapshot-free image, one network."""
    project = factories.ProjectFactory()
    image = factories.ImageFactory(cloud=project.cloud, projects=[project])
    factories.ImageMetadataFactory(image=image, key="region", value=project.region)
    network = factories.NetworkFactory(project=project)
    instance = factories.InstanceFactory(project=project, image=image, keypair=None)
    instance.networks.add(network)
    factories.InstanceMetadataFactory(instance=instance, key="region", value=project.region)
    return instance


def test_instance_has_the_wiki_shape_field_for_field(api, instance):
    response = api.get(f"/instances/{instance.id}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert_same_shape(response.json(), INSTANCE_EXAMPLE, INSTANCE_EXTRA_FIELDS)


def test_instance_values_come_from_the_inventory(api, instance):
    body = api.get(f"/instances/{instance.id}").json()

    assert body["id"] == str(instance.id)
    assert body["realId"] == instance.real_id
    assert body["cloudId"] == instance.cloud.name
    assert body["projectId"] == str(instance.project_id)
    assert body["flavor"]["id"] == str(instance.flavor_id)
    assert body["flavor"]["rootDisk"] == instance.flavor.root_disk
    assert body["image"]["projectId"] == [str(instance.project_id)]
    assert body["metadata"] == {"entry": [{"key": "region", "value": instance.project.region}]}
    assert body["address"] == instance.addresses
    assert body["state"] == instance.state


def test_timestamps_are_iso_8601_with_an_offset(api, instance):
    body = api.get(f"/instances/{instance.id}").json()

    assert body["timestamp"].endswith("+00:00")
    assert datetime.fromisoformat(body["created"]) == instance.created


def test_keypair_is_shown_when_the_instance_has_one(api):
    keypair = factories.KeypairFactory()
    instance = factories.InstanceFactory(project=keypair.project, keypair=keypair)

    body = api.get(f"/instances/{instance.id}").json()

    assert body["keypair"] == {
        "name": keypair.name,
        "fingerprint": keypair.fingerprint,
        "publicKey": keypair.public_key,
    }


def test_nulls_and_blanks_are_left_out(api):
    instance = factories.InstanceFactory(
        flavor=None, image=None, real_id=None, created=None, fqdn="", availability_zone=""
    )

    body = api.get(f"/instances/{instance.id}").json()

    for key in ("flavor", "image", "realId", "created", "fqdn", "availabilityZone"):
        assert key not in body


def test_reading_an_instance_takes_a_fixed_number_of_queries(
    api, instance, django_assert_max_num_queries
):
    for _ in range(3):
        instance.networks.add(factories.NetworkFactory(project=instance.project))
        factories.InstanceMetadataFactory(instance=instance, key=f"k{_}")

    with django_assert_max_num_queries(7):
        assert api.get(f"/instances/{instance.id}").status_code == 200


def test_unknown_instance_is_404_naming_the_id(api):
    unknown = uuid.uuid4()

    response = api.get(f"/instances/{unknown}")

    assert response.status_code == 404
    assert response.json() == {"message": f"Instance {unknown} does not exist"}


@pytest.mark.parametrize("malformed", ["not-a-uuid", "1234", "5653608a-117c-3ba8-80b0"])
def test_malformed_instance_id_is_404(api, malformed):
    response = api.get(f"/instances/{malformed}")

    assert response.status_code == 404
    assert malformed in response.json()["message"]
