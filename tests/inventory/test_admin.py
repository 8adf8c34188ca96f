import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from apps.inventory import factories
from apps.inventory.models import Cloud, Grant

pytestmark = pytest.mark.django_db

INVENTORY_MODELS = [model for model in apps.get_app_config("inventory").get_models()]
METADATA_MODELS = {"instancemetadata", "imagemetadata", "projectmetadata"}


@pytest.fixture
def inventory(admin_user):
    instance = factories.InstanceFactory()
    factories.InstanceMetadataFactory(instance=instance)
    factories.SubnetFactory(network__project=instance.project)
    factories.KeypairFactory(project=instance.project)
    factories.AvailabilityZoneFactory(project=instance.project)
    factories.QuotaFactory(project=instance.project)
    factories.ProjectMetadataFactory(project=instance.project)
    factories.ImageMetadataFactory(image=instance.image)
    Grant.objects.create(user=admin_user, project=instance.project)
    return instance


def test_every_inventory_model_is_in_the_admin_or_inlined():
    registered = {model._meta.model_name for model in admin.site._registry}
    missing = {
        model._meta.model_name
        for model in INVENTORY_MODELS
        if model._meta.model_name not in registered | METADATA_MODELS
    }
    assert missing == set()


@pytest.mark.parametrize(
    "model", [m for m in INVENTORY_MODELS if m._meta.model_name not in METADATA_MODELS]
)
def test_changelist_and_change_page_render(admin_client, inventory, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    obj = model.objects.first()

    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": obj.pk}).status_code == 200
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


def test_search_finds_an_instance_by_real_id(admin_client, inventory):
    response = admin_client.get(
        reverse("admin:inventory_instance_changelist"), {"q": inventory.real_id}
    )

    assert inventory.name in response.content.decode()


def test_synced_inventory_is_read_only(admin_client, inventory):
    change = reverse("admin:inventory_instance_change", args=[inventory.pk])

    response = admin_client.post(change, {"name": "renamed-by-hand"})

    assert response.status_code == 403
    inventory.refresh_from_db()
    assert inventory.name != "renamed-by-hand"


def cloud_form(**overrides):
    form = {
        "name": "east",
        "type": "openstack",
        "enabled": "on",
        "auth_url": "https://keystone.example:5000/v3",
        "regions": "RegionOne",
        "interface": "public",
        "verify_tls": "on",
        "username": "perspective",
        "password": "s3cret-password",
        "user_domain_name": "Default",
        "project_name": "ops",
        "project_domain_name": "Default",
        "instances_sync_minutes": 30,
        "catalog_sync_minutes": 60,
        "changes_sync_seconds": 60,
    }
    return form | overrides


def test_cloud_password_is_never_shown_back(admin_client):
    admin_client.post(reverse("admin:inventory_cloud_add"), cloud_form())
    cloud = Cloud.objects.get(name="east")

    page = admin_client.get(reverse("admin:inventory_cloud_change", args=[cloud.pk]))

    assert page.status_code == 200
    assert "s3cret-password" not in page.content.decode()


def test_blank_password_keeps_the_stored_one(admin_client):
    admin_client.post(reverse("admin:inventory_cloud_add"), cloud_form())
    cloud = Cloud.objects.get(name="east")

    response = admin_client.post(
        reverse("admin:inventory_cloud_change", args=[cloud.pk]),
        cloud_form(password="", project_name="ops-2"),
    )

    assert response.status_code == 302
    cloud.refresh_from_db()
    assert (cloud.password, cloud.project_name) == ("s3cret-password", "ops-2")


def test_cloud_without_credentials_is_refused(admin_client):
    response = admin_client.post(reverse("admin:inventory_cloud_add"), cloud_form(password=""))

    assert response.status_code == 200
    assert "Give a username and password" in response.content.decode()
    assert not Cloud.objects.exists()


def test_admin_is_branded_perspective(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert '<a href="/admin/">Perspective</a>' in page


def test_regions_are_typed_and_shown_comma_separated_not_as_json(admin_client):
    admin_client.post(reverse("admin:inventory_cloud_add"), cloud_form(regions="One, Two"))
    cloud = Cloud.objects.get(name="east")

    listed = admin_client.get(reverse("admin:inventory_cloud_changelist")).content.decode()
    form = admin_client.get(reverse("admin:inventory_cloud_change", args=[cloud.pk]))

    assert cloud.regions == ["One", "Two"]
    assert "One, Two" in listed and "[&quot;One" not in listed
    assert 'value="One, Two"' in form.content.decode()
