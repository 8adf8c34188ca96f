"""WireSerializer draws a model instance by a plan (apps/inventory/api/representation.py); what
it draws must be exactly what DRF's own Serializer.to_representation gives, nulls and blanks
left out, at every level of the shape."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models.manager import BaseManager
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request

from apps.inventory import factories
from apps.inventory.api.serializers import ImageSerializer, InstanceSerializer, WireSerializer
from apps.inventory.models import Grant, Image, Instance
from apps.operations.api.listings import with_item_counts
from apps.operations.api.serializers import ActionSerializer, ActionSummarySerializer
from apps.operations.models import Action, ActionItem

pytestmark = pytest.mark.django_db


def drawn_by_drf(serializer, instance) -> dict:
    """DRF's Serializer.to_representation itself, then WireSerializer's rule."""
    data = serializers.Serializer.to_representation(serializer, instance)
    return {key: value for key, value in data.items() if value is not None and value != ""}


def assert_drawn_as_drf_draws(serializer, instance):
    """At this level and, for the nested serializers' own plans, at every level below."""
    assert serializer.to_representation(instance) == drawn_by_drf(serializer, instance)
    for field in serializer.fields.values():
        many = isinstance(field, serializers.ListSerializer)
        nested = field.child if many else field
        if isinstance(nested, WireSerializer):
            value = field.get_attribute(instance)
            if isinstance(value, BaseManager):  # a relation not prefetched as a list
                value = value.all()
            for item in value if many else [] if value is None else [value]:
                assert_drawn_as_drf_draws(nested, item)


def as_user(user) -> dict:
    request = Request(RequestFactory().get("/"))
    request.user = user
    return {"request": request}


@pytest.fixture
def rich_instance():
    """Every part of the shape present: flavor, keypair, an image (a snapshot, with metadata
    and two projects), metadata, two networks of two subnets."""
    project = factories.ProjectFactory()
    other = factories.ProjectFactory(cloud=project.cloud)
    image = factories.ImageFactory(cloud=project.cloud, projects=[project, other])
    factories.ImageMetadataFactory(image=image, key="os_distro", value="rocky")
    factories.ImageMetadataFactory(image=image, key="blank", value="")
    instance = factories.InstanceFactory(
        project=project, image=image, keypair=factories.KeypairFactory(project=project)
    )
    image.instance = instance
    image.save()
    for key, value in (("role", "web"), ("team", "")):
        factories.InstanceMetadataFactory(instance=instance, key=key, value=value)
    for _ in range(2):
        network = factories.NetworkFactory(project=project)
        factories.SubnetFactory.create_batch(2, network=network)
        instance.networks.add(network)
    return Instance.objects.for_wire().get(pk=instance.pk)


@pytest.fixture
def bare_instance():
    """Nulls and blanks wherever the model allows them."""
    instance = factories.InstanceFactory(
        real_id=None,
        name="",
        flavor=None,
        image=None,
        keypair=None,
        availability_zone="",
        addresses=[],
        fqdn="",
        created=None,
        last_updated=None,
    )
    return Instance.objects.for_wire().get(pk=instance.pk)


def test_a_richly_populated_instance_is_drawn_as_drf_draws_it(rich_instance, admin_user):
    assert_drawn_as_drf_draws(InstanceSerializer(context=as_user(admin_user)), rich_instance)


def test_an_instance_of_nulls_and_blanks_is_drawn_as_drf_draws_it(bare_instance, admin_user):
    serializer = InstanceSerializer(context=as_user(admin_user))

    assert_drawn_as_drf_draws(serializer, bare_instance)
    assert {"realId", "name", "flavor", "image", "timestamp"}.isdisjoint(
        serializer.to_representation(bare_instance)
    )


def test_an_image_is_drawn_as_drf_draws_it_for_a_viewer_of_one_of_its_projects(rich_instance):
    viewer = get_user_model().objects.create_user("viewer")
    Grant.objects.create(user=viewer, project=rich_instance.project, role="viewer")
    image = Image.objects.for_wire().get(pk=rich_instance.image_id)
    serializer = ImageSerializer(context=as_user(viewer))

    assert_drawn_as_drf_draws(serializer, image)
    assert serializer.to_representation(image)["projectId"] == [str(rich_instance.project_id)]


def test_a_listing_draws_its_rows_as_drf_draws_them_one_by_one(
    rich_instance, bare_instance, admin_user
):
    """Two rows sharing a flavor and an image, which a listing shows once and reuses, and one
    with flavor and image of its own."""
    factories.InstanceFactory(
        project=rich_instance.project, flavor=rich_instance.flavor, image=rich_instance.image
    )
    factories.InstanceFactory(project=rich_instance.project)
    rows = list(Instance.objects.for_wire(many=True).order_by("name"))
    listing = InstanceSerializer(rows, many=True, context=as_user(admin_user))

    images = [id(row.image) for row in rows if row.image]
    assert len(set(images)) == 2 < len(images)  # one image object shared by two rows
    assert listing.data == [drawn_by_drf(listing.child, row) for row in rows]


def test_actions_are_drawn_as_drf_draws_them(admin_user):
    action = Action.objects.create(
        operation="resizeInstance", requested_by=admin_user, parameters={"flavorId": "f"}
    )
    ActionItem.objects.create(
        action=action, operation="resizeInstance", target_id="i-1", started_at=timezone.now()
    )
    ActionItem.objects.create(action=action, operation="resizeInstance", target_id="i-2")
    anonymous = Action.objects.create(operation="rebootInstance")

    for each in (action, anonymous):
        assert_drawn_as_drf_draws(ActionSerializer(), each)
    summary = with_item_counts(Action.objects.all(), admin_user).get(pk=action.pk)
    assert_drawn_as_drf_draws(ActionSummarySerializer(), summary)
