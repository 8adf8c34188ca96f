"""Instance sync: the whole listing of each region (deleting what it no longer has), or only
what changed since a time (Nova's changes-since, which also reports deletions)."""

from datetime import datetime

from django.db import transaction

from apps.inventory.choices import INTERIM_STATES
from apps.inventory.models import (
    Flavor,
    Image,
    Instance,
    InstanceMetadata,
    Keypair,
    Network,
    Project,
)

from .reconcile import Counts, delete_ids, reconcile, replace_details


def sync_instances(driver, cloud, progress, since: datetime | None = None) -> Counts:
    """All instances of the cloud; with `since`, only those changed since then."""
    counts = Counts()
    projects = list(Project.objects.filter(cloud=cloud).order_by("region"))
    images = dict(Image.objects.filter(cloud=cloud).values_list("real_id", "id"))
    for done, project in enumerate(projects, start=1):
        records = list(driver.servers(project.region, changes_since=since))
        progress(f"{project.region}: {len(records)} instances", done, len(projects))
        counts.add(_sync_project(cloud, project, records, images, complete=since is None))
    return counts


@transaction.atomic
def _sync_project(cloud, project, records, images, *, complete: bool) -> Counts:
    gone = [r.real_id for r in records if r.is_deleted]
    counts = Counts()
    if gone:
        existing_gone = Instance.objects.filter(cloud=cloud, real_id__in=gone)
        ids = list(existing_gone.values_list("id", flat=True))
        delete_ids(Instance, ids)
        counts.deleted = len(ids)
    present = [r for r in records if not r.is_deleted]
    resolve = _Resolver(project, images)
    incoming = {r.real_id: resolve.values(r) for r in present}
    if complete:
        existing = Instance.objects.filter(project=project, real_id__isnull=False)
    else:  # only the rows of the changes, by the (cloud, real id) index: cost follows changes
        existing = Instance.objects.filter(cloud=cloud, real_id__in=list(incoming))
    outcome = reconcile(
        Instance, existing, ("cloud", cloud.id), incoming, complete=complete, keep=_keep_interim
    )
    _sync_children(outcome, present, resolve, complete)
    counts.add(outcome.counts)
    return counts


def _sync_children(outcome, records, resolve, complete: bool) -> None:
    ids = [outcome.ids[r.real_id] for r in records]
    metadata = {outcome.ids[r.real_id]: set(r.metadata.items()) for r in records}
    networks = {outcome.ids[r.real_id]: resolve.networks(r) for r in records}
    # A whole listing compares against everything; a few changes only against their own rows.
    scope = {"instance__project": resolve.project} if complete else {"instance__in": ids}
    replace_details(
        outcome,
        "instance",
        scope,
        (InstanceMetadata, metadata),
        (Instance.networks.through, networks),
    )


def _keep_interim(row: dict, values: dict) -> dict:
    """An interim state Perspective showed for an accepted action stays until the cloud reports
    a change of the instance: a listing made before the worker's call must not undo it."""
    unchanged_in_cloud = values["last_updated"] is not None and (
        row["last_updated"] == values["last_updated"]
    )
    if row["state"] in INTERIM_STATES and unchanged_in_cloud:
        return {**values, "state": row["state"]}
    return values


class _Resolver:
    """Turns a server's references (flavor, image, keypair, networks) into inventory ids."""

    def __init__(self, project, images: dict):
        self.project = project
        self.images = images
        flavors = list(Flavor.objects.filter(project=project).values_list("real_id", "name", "id"))
        self.flavors_by_id = {real_id: pk for real_id, _, pk in flavors}
        self.flavors_by_name = {name: pk for _, name, pk in flavors}
        self.keypairs = dict(Keypair.objects.filter(project=project).values_list("name", "id"))
        self.networks_by_name = dict(
            Network.objects.filter(project=project).values_list("name", "id")
        )

    def values(self, r) -> dict:
        return {
            "project_id": self.project.id,
            "name": r.name,
            "state": r.state,
            "flavor_id": self.flavors_by_id.get(r.flavor_real_id)
            or self.flavors_by_name.get(r.flavor_name),
            "image_id": self.images.get(r.image_real_id),
            "keypair_id": self.keypairs.get(r.keypair_name),
            "availability_zone": r.availability_zone,
            "addresses": list(r.addresses),
            "fqdn": r.fqdn,
            "is_locked": r.is_locked,
            "created": r.created,
            "last_updated": r.last_updated,
        }

    def networks(self, r) -> set:
        return {
            (self.networks_by_name[name],)
            for name in r.network_names
            if name in self.networks_by_name
        }
