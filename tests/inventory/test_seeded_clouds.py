"""Clouds seed_inventory makes up are marked: never synced, and nothing acts on them."""

import pytest
from django.core.management import CommandError, call_command

from apps.clouds.models import SyncRun
from apps.clouds.schedule import due_runs
from apps.inventory import factories
from apps.inventory.models import Cloud, Image, Instance
from apps.inventory.seed import seed_inventory

pytestmark = pytest.mark.django_db

REASON = "Its cloud was made up by seed_inventory: there is no cloud to sync or act on"


@pytest.fixture
def seeded():
    seed_inventory(4, clouds=1, regions=1)
    return Cloud.objects.get()


def test_seeded_clouds_are_marked_and_beat_never_syncs_them(seeded):
    real = factories.CloudFactory(name="real")

    assert seeded.seeded and not real.seeded
    assert {run.cloud for run in due_runs()} == {real}


def test_manage_py_sync_leaves_seeded_clouds_alone(seeded, capsys):
    call_command("sync")

    assert not SyncRun.objects.exists()
    with pytest.raises(CommandError, match="made up by seed_inventory"):
        call_command("sync", "--cloud", seeded.name)


def test_the_api_refuses_to_sync_a_seeded_cloud(seeded, api):
    response = api.post(f"/api/clouds/{seeded.name}/sync", {}, format="json")

    assert response.status_code == 409
    assert "made up by seed_inventory" in response.json()["message"]
    assert not SyncRun.objects.exists()


def test_actions_on_seeded_instances_are_skipped_with_that_reason(seeded, api):
    instance = Instance.objects.filter(state="launched").first()
    image = Image.objects.first()

    rebooted = api.put("/instances/reboot", [str(instance.id)], format="json").json()
    deleted = api.post("/images/delete", [str(image.id)], format="json").json()

    assert rebooted["skipped"] == [{"id": str(instance.id), "reason": REASON}]
    assert deleted["skipped"] == [{"id": str(image.id), "reason": REASON}]
