import pytest
from django.core.management import CommandError, call_command

from apps.inventory.models import Cloud, Image, Instance, InstanceMetadata, Network, Project
from apps.inventory.seed import seed_inventory

pytestmark = pytest.mark.django_db


def test_seed_builds_a_whole_inventory():
    summary = seed_inventory(50, clouds=2, regions=3)

    assert (summary.clouds, summary.projects, summary.instances) == (2, 6, 50)
    assert Project.objects.count() == 6
    assert Instance.objects.count() == 50
    assert InstanceMetadata.objects.count() == 100
    assert Instance.networks.through.objects.count() == 50
    assert Image.objects.count() == summary.images
    assert Network.objects.count() == 6 * 3


def test_seeded_instances_are_spread_over_projects_and_complete():
    seed_inventory(40, clouds=2, regions=2)

    assert Instance.objects.values("project").distinct().count() == 4
    incomplete = Instance.objects.filter(flavor=None) | Instance.objects.filter(image=None)
    assert not incomplete.exists()
    assert all(
        i.flavor.project_id == i.project_id and i.image.cloud_id == i.cloud_id
        for i in Instance.objects.select_related("flavor", "image")
    )


def test_the_same_seed_gives_the_same_inventory():
    seed_inventory(20, clouds=1, regions=1, seed=3)
    first = list(Instance.objects.order_by("name").values_list("name", "real_id", "state"))
    Cloud.objects.all().delete()

    seed_inventory(20, clouds=1, regions=1, seed=3)

    assert list(Instance.objects.order_by("name").values_list("name", "real_id", "state")) == first


def test_seeding_the_same_seed_twice_is_refused():
    call_command("seed_inventory", "--instances", "5", "--seed", "9")

    with pytest.raises(CommandError, match="seed 9 exist already"):
        call_command("seed_inventory", "--instances", "5", "--seed", "9")


def test_command_reports_what_it_made(capsys):
    call_command("seed_inventory", "--instances", "10", "--clouds", "1", "--regions", "2")

    assert "Seeded 1 clouds, 2 projects, 6 images and 10 instances" in capsys.readouterr().out
