"""Instance sync: the whole listing of each region (deleting what it no longer has), or only
what changed since a time (Nova's changes-since, which also reports deletions)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

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

from ..drivers import Driver
from .reconcile import Counts, delete_ids, reconcile, replace_details


def sync_instances(driver: Driver, cloud, progress, since: datetime | None = None) -> Counts:
    """All instances of the cloud; with `since`, only those changed since then."""
    counts = Counts()
    projects = list(Project.objects.filter(cloud=cloud).order_by("region"))
    images = dict(Image.objects.filter(cloud=cloud).values_list("real_id", "id"))
    for done, project in enumerate(projects, start=1):
        marked = since and project.instances.filter(unreachable_since__isnull=False).exists()
        records = list(driver.servers(project.region, changes_since=since))
        progress(f"{project.region}: {len(records)} instances", done, len(projects))
        counts.add(_sync_project(cloud, project, records, images, complete=since is None))
        if marked:  # behind a Nova cell that was down, they come back unchanged: a whole
            records = list(driver.servers(project.region))  # listing tells, changes do not
            counts.add(_sync_project(cloud, project, records, images, complete=True))
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
    present = [r for r in records if not r.is_deleted and not r.is_partial]
    resolve = _Resolver(project, images)
    incoming = {r.real_id: resolve.values(r) for r in present}
    # With a Nova cell down, Nova leaves its servers out of all but a listing's first page.
    complete = complete and not any(r.is_partial for r in records)
    incoming |= _unreachable(cloud, records, resolve)
    if complete:
        existing = Instance.objects.filter(project=project, real_id__isnull=False)
    else:  # only the rows of the changes, by the (cloud, real id) index: cost follows changes
        existing = Instance.objects.filter(cloud=cloud, real_id__in=list(incoming))
    outcome = reconcile(
        Instance, existing, ("cloud", cloud.id), incoming, complete=complete, keep=_keep
    )
    _sync_children(outcome, present, resolve, complete)
    counts.add(outcome.counts)
    return counts


def _unreachable(cloud, records, resolve) -> dict:
    """{real id: values marking it unreachable} of the known instances the cloud sent partial
    records of (a Nova cell that is down); what it does not know yet waits for the cell."""
    partial = {r.real_id: r for r in records if r.is_partial}
    if not partial:
        return {}
    known = Instance.objects.filter(cloud=cloud, real_id__in=list(partial))
    now = timezone.now()
    return {
        real_id: {**dict.fromkeys(resolve.values(partial[real_id])), "unreachable_since": now}
        for real_id in known.values_list("real_id", flat=True)
    }


def _keep(row: dict, values: dict) -> dict:
    if values["unreachable_since"] is None:
        return _keep_interim(row, values)
    # A partial record is no news: every field stays as the cloud last said, marked unreachable.
    return {
        **{name: row[name] for name in values},
        "unreachable_since": row["unreachable_since"] or values["unreachable_since"],
    }


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
            "unreachable_since": None,
        }

    def networks(self, r) -> set:
        return {
            (self.networks_by_name[name],)
            for name in r.network_names
            if name in self.networks_by_name
        }
