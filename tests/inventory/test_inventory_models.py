import pytest
from django.db import IntegrityError, connection

from apps.inventory import factories
from apps.inventory.models import Cloud, Quota, stable_id

pytestmark = pytest.mark.django_db


def test_credentials_are_encrypted_at_rest():
    cloud = factories.CloudFactory(password="hunter2", application_credential_secret="app-secret")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT password, application_credential_secret FROM inventory_cloud WHERE id = %s",
            [cloud.id.hex if connection.vendor == "sqlite" else cloud.id],
        )
        stored = cursor.fetchone()

    assert "hunter2" not in stored[0]
    assert "app-secret" not in stored[1]
    assert Cloud.objects.get(pk=cloud.pk).password == "hunter2"


def test_real_id_is_unique_per_cloud():
    instance = factories.InstanceFactory()

    with pytest.raises(IntegrityError):
        factories.InstanceFactory(project=instance.project, real_id=instance.real_id)


def test_the_same_real_id_may_exist_in_two_clouds():
    instance = factories.InstanceFactory()

    other = factories.InstanceFactory(real_id=instance.real_id)

    assert other.cloud != instance.cloud


def test_flavor_real_id_is_unique_per_project_not_per_cloud():
    flavor = factories.FlavorFactory()
    other_region = factories.ProjectFactory(cloud=flavor.project.cloud)

    factories.FlavorFactory(project=other_region, real_id=flavor.real_id)
    with pytest.raises(IntegrityError):
        factories.FlavorFactory(project=flavor.project, real_id=flavor.real_id)


def test_queued_instances_without_a_real_id_do_not_collide():
    project = factories.ProjectFactory()

    factories.InstanceFactory.create_batch(2, project=project, real_id=None)

    assert project.instances.filter(real_id=None).count() == 2


def test_stable_id_depends_on_scope_kind_and_real_id():
    cloud_id = factories.CloudFactory().id

    assert stable_id(cloud_id, "instance", "abc") == stable_id(cloud_id, "instance", "abc")
    assert stable_id(cloud_id, "instance", "abc") != stable_id(cloud_id, "image", "abc")


def test_quota_usage_is_used_slash_limit():
    quota = Quota(instances_used=3, instances_limit=-1)

    assert quota.usage("instances") == "3/-1"
    assert quota.usage("volumes") is None
