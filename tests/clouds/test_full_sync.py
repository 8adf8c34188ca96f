import openstack
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.inventory.choices import InstanceState
from apps.inventory.models import (
    AvailabilityZone,
    Flavor,
    Image,
    Instance,
    InstanceMetadata,
    Keypair,
    Network,
    Project,
    Quota,
    Subnet,
)

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=60, projects=1)]


def test_first_sync_fills_every_model(sync, simulator):
    catalog, instances = sync("catalog"), sync("instances")

    assert (catalog.status, instances.status) == ("succeeded", "succeeded")
    regions = simulator.simulator.cloud.regions.values()
    assert Project.objects.count() == len(regions) == Quota.objects.count()
    for model, listed in (
        (Flavor, "flavors"),
        (Network, "networks"),
        (Subnet, "subnets"),
        (Keypair, "keypairs"),
        (AvailabilityZone, "zones"),
        (Instance, "servers"),
    ):
        assert model.objects.count() == sum(len(getattr(r, listed)) for r in regions), listed
    images = {image for region in regions for image in region.images}
    assert set(Image.objects.values_list("real_id", flat=True)) == images
    metadata = sum(len(s.metadata) for r in regions for s in r.servers.values())
    assert InstanceMetadata.objects.count() == metadata
    assert instances.created == 60
    attached = sum(len(s.addresses) for r in regions for s in r.servers.values())
    assert Instance.networks.through.objects.count() == attached


def test_a_cloud_with_two_regions_yields_two_projects(sync, cloud):
    sync("catalog")

    projects = Project.objects.order_by("region")
    assert [(p.region, p.name) for p in projects] == [
        ("RegionOne", "sim_RegionOne"),
        ("RegionTwo", "sim_RegionTwo"),
    ]
    assert {p.metadata.get().value for p in projects} == {"RegionOne", "RegionTwo"}


def test_instances_are_mapped_from_nova(sync, simulator):
    sync("instances")
    server = next(iter(simulator.simulator.cloud.regions["RegionOne"].servers.values()))

    instance = Instance.objects.get(real_id=server.id)

    assert instance.project.region == "RegionOne"
    assert instance.name == server.name
    assert instance.flavor.name == server.flavor.name
    assert instance.metadata.count() == len(server.metadata)
    assert instance.addresses


def test_instances_booted_from_volume_have_no_image(sync, simulator):
    sync("instances")

    assert Instance.objects.filter(image=None).exists()
    assert Instance.objects.exclude(image=None).exists()


def test_second_sync_without_changes_writes_nothing(sync):
    sync("catalog"), sync("instances")

    with CaptureQueriesContext(connection) as queries:
        catalog, instances = sync("catalog"), sync("instances")

    inventory_writes = [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and "inventory_" in q["sql"].split("(")[0]
    ]
    assert inventory_writes == []
    assert (catalog.created, catalog.updated, catalog.deleted) == (0, 0, 0)
    assert (instances.created, instances.updated, instances.deleted) == (0, 0, 0)
    assert instances.unchanged == 60


def test_public_ids_survive_a_resync(sync):
    sync("instances")
    before = dict(Instance.objects.values_list("real_id", "id"))

    sync("instances")

    assert dict(Instance.objects.values_list("real_id", "id")) == before


def test_full_sync_picks_up_changes_behind_our_back(sync, simulator):
    sync("instances")
    control = simulator.control
    created = control.create_server(name="new-one", region="RegionOne")
    victim, renamed = list(Instance.objects.values_list("real_id", flat=True)[:2])
    control.delete_server(victim)
    control.update_server(renamed, name="renamed", status="SHUTOFF")

    run = sync("instances")

    assert (run.created, run.updated, run.deleted) == (1, 1, 1)
    assert Instance.objects.filter(real_id=created["id"], name="new-one").exists()
    assert not Instance.objects.filter(real_id=victim).exists()
    assert Instance.objects.get(real_id=renamed).state == InstanceState.SHUTOFF


def test_deleted_images_go_with_a_full_listing(sync, simulator):
    sync("catalog")
    glance = openstack.connect(**simulator.cloud_config("RegionOne")).image
    image_id = next(glance.images()).id
    glance.delete_image(image_id)

    run = sync("catalog")

    assert run.deleted >= 1
    assert not Image.objects.filter(real_id=image_id).exists()


def test_an_interim_state_survives_a_listing_that_predates_the_action(sync):
    sync("instances")
    instance = Instance.objects.filter(state=InstanceState.LAUNCHED).first()
    Instance.objects.filter(pk=instance.pk).update(state=InstanceState.REBOOTING)

    sync("instances")

    assert Instance.objects.get(pk=instance.pk).state == InstanceState.REBOOTING


def test_the_clouds_news_replaces_an_interim_state(sync, simulator):
    sync("instances")
    instance = Instance.objects.filter(state=InstanceState.LAUNCHED).first()
    Instance.objects.filter(pk=instance.pk).update(state=InstanceState.STARTING)
    simulator.control.update_server(instance.real_id, status="SHUTOFF")

    sync("instances")

    assert Instance.objects.get(pk=instance.pk).state == InstanceState.SHUTOFF
