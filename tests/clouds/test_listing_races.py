"""A listing takes time to arrive and to be reconciled; what was stored from a later look at
the cloud meanwhile (a follower recording an action's end) stays."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.clouds.models import SyncRun
from apps.clouds.sync.reconcile import reconcile
from apps.clouds.sync.runner import run_sync
from apps.inventory.factories import InstanceFactory
from apps.inventory.models import Instance, Project

pytestmark = pytest.mark.django_db


def _listing(instance, state, observed_at) -> dict:
    """What a listing asked for at `observed_at` says of the instance: what is stored, but the
    state."""
    said = Instance.objects.filter(pk=instance.pk).values().get()
    for name in ("id", "real_id", "cloud_id"):
        del said[name]
    return {instance.real_id: {**said, "state": state, "observed_at": observed_at}}


def _reconcile(instance, incoming, stored_meanwhile=None) -> tuple:
    def keep(row, values):
        # Called between reading the stored rows and writing them: another transaction's write.
        if stored_meanwhile:
            Instance.objects.filter(pk=instance.pk).update(**stored_meanwhile)
        return values

    existing = Instance.objects.filter(pk=instance.pk)
    scope = ("cloud", instance.cloud_id)
    reconcile(
        Instance, existing, scope, incoming, complete=False, keep=keep, unless_newer="observed_at"
    )
    return Instance.objects.values_list("state", "observed_at").get(pk=instance.pk)


def test_an_end_stored_while_the_listing_was_reconciled_is_not_undone():
    listed_at = timezone.now()
    instance = InstanceFactory(state="rebooting", observed_at=listed_at - timedelta(minutes=5))
    polled_at = listed_at + timedelta(seconds=1)

    stored = _reconcile(
        instance,
        _listing(instance, "rebooting", listed_at),
        stored_meanwhile={"state": "launched", "observed_at": polled_at},
    )

    assert stored == ("launched", polled_at)


def test_a_listing_asked_for_after_the_stored_look_is_written():
    polled_at = timezone.now()
    instance = InstanceFactory(state="rebooting", observed_at=polled_at)
    listed_at = polled_at + timedelta(seconds=1)

    assert _reconcile(instance, _listing(instance, "launched", listed_at)) == (
        "launched",
        listed_at,
    )


def test_a_row_never_looked_at_is_written():
    instance = InstanceFactory(state="rebooting", observed_at=None)
    listed_at = timezone.now()

    assert _reconcile(instance, _listing(instance, "launched", listed_at)) == (
        "launched",
        listed_at,
    )


class _ListedWhileLaunching(dict):
    """A region's servers whose listing, once asked for, sees a launch recorded meanwhile."""

    def __init__(self, servers: dict, launch):
        super().__init__(servers)
        self.launch = launch

    def values(self):
        self.launch()
        return super().values()


def test_a_regions_first_load_deletes_nothing_recorded_meanwhile(memory_cloud):
    cloud, memory = memory_cloud
    memory.add_server("RegionOne", "web-1")
    run_sync(SyncRun.objects.create(cloud=cloud, kind="catalog"))
    project = Project.objects.get(cloud=cloud)
    region = memory.regions["RegionOne"]

    def launch():  # a launch's follower records the server the cloud just made
        Instance.objects.create(cloud=cloud, project=project, name="new", real_id="launched-1")

    region.servers = _ListedWhileLaunching(region.servers, launch)
    run = run_sync(SyncRun.objects.create(cloud=cloud, kind="instances"))

    assert run.status == "succeeded"
    assert set(Instance.objects.values_list("name", flat=True)) == {"web-1", "new"}
