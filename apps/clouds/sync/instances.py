"""Instance sync: the whole listing of each region (deleting what it no longer has), or only
what changed since a time (Nova's changes-since, which also reports deletions).

A listing is reconciled page by page as it arrives, so memory stays flat however big the
region: each page is compared by fingerprint against its own stored rows, and the real ids
listed go to a temporary table, from which the rows no longer listed are deleted at the end."""

import hashlib
from datetime import datetime
from itertools import islice

from django.db import transaction
from django.utils import timezone

from apps.inventory.bulk import analyze
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
from .listed import ListedIds
from .reconcile import Counts, delete_ids, reconcile, replace_details
from .witness import Witness

PAGE = 1000  # servers reconciled at once: Nova's page


def sync_instances(
    driver: Driver, cloud, progress, since: datetime | None = None, run_id: int | None = None
) -> Counts:
    """All instances of the cloud; with `since`, only those changed since then. What changed
    goes to the history, caused by the sync run `run_id`."""
    counts = Counts()
    witness = Witness(cloud.id, run_id)
    projects = list(Project.objects.filter(cloud=cloud).order_by("region"))
    images = dict(Image.objects.filter(cloud=cloud).values_list("real_id", "id"))
    for done, project in enumerate(projects, start=1):
        marked = since and project.instances.filter(unreachable_since__isnull=False).exists()

        def page_done(listed: int, done=done, region=project.region) -> None:
            # Also renews the cloud's lease, which a long listing would otherwise outlive.
            progress(f"{region}: {listed} instances", done - 1, len(projects))

        region = _Region(cloud, project, images, page_done, witness)
        counts.add(region.sync(driver.servers(project.region, changes_since=since), since))
        progress(f"{project.region}: {region.listed} instances", done, len(projects))
        if marked:  # behind a Nova cell that was down, they come back unchanged: a whole
            region = _Region(cloud, project, images, page_done, witness)  # listing tells
            counts.add(region.sync(driver.servers(project.region), None))
    return counts


class _Region:
    """One region's listing, reconciled page by page."""

    def __init__(self, cloud, project, images: dict, page_done, witness: Witness):
        self.cloud = cloud
        self.witness = witness
        self.resolve = _Resolver(project, images)
        self.page_done = page_done
        self.listed = 0
        self.fresh = False
        self.asked_at = None

    def sync(self, records, since) -> Counts:
        complete = since is None
        self.asked_at = timezone.now()  # no page of the listing was asked for before
        project = self.resolve.project
        # The first load of a region only inserts (by COPY on PostgreSQL), and has nothing to
        # delete: what appears meanwhile (a launch recorded) is left for the next listing.
        self.fresh = complete and not Instance.objects.filter(project=project).exists()
        deletes = complete and not self.fresh
        counts = Counts()
        partial = False
        with ListedIds(enabled=deletes) as listed:
            for page in _pages(records):
                self.listed += len(page)
                # With a Nova cell down, Nova leaves its servers out of all but the first page.
                partial = partial or any(r.is_partial for r in page)
                counts.add(self._sync_page(page))
                listed.add(r.real_id for r in page if not r.is_deleted)
                self.page_done(self.listed)
            if deletes and not partial:
                unlisted = listed.unlisted(
                    Instance.objects.filter(project=project, real_id__isnull=False)
                )
                counts.deleted += self._delete(unlisted)
        if self.fresh and counts.created:
            analyze(Instance)
        return counts

    @transaction.atomic
    def _sync_page(self, page) -> Counts:
        cloud, resolve = self.cloud, self.resolve
        counts = Counts()
        gone = [r.real_id for r in page if r.is_deleted]
        if gone:
            counts.deleted = self._delete(Instance.objects.filter(cloud=cloud, real_id__in=gone))
        present = {r.real_id: r for r in page if not r.is_deleted and not r.is_partial}
        fingerprints = {real_id: resolve.fingerprint(r) for real_id, r in present.items()}
        same = set() if self.fresh else _unchanged(cloud, fingerprints)
        counts.unchanged = len(same)
        incoming = {
            real_id: resolve.values(r, fingerprints[real_id])
            for real_id, r in present.items()
            if real_id not in same
        }
        incoming |= _unreachable(cloud, page, resolve)
        if not incoming:
            return counts
        for values in incoming.values():
            values["observed_at"] = self.asked_at
        existing = (
            Instance.objects.none()
            if self.fresh
            else Instance.objects.filter(cloud=cloud, real_id__in=list(incoming)).order_by()
        )
        outcome = reconcile(
            Instance,
            existing,
            ("cloud", cloud.id),
            incoming,
            complete=False,
            keep=_keep,
            fresh=self.fresh,
            unless_newer="observed_at",
            witness=self.witness,
        )
        changed = [present[real_id] for real_id in incoming if real_id in present]
        _sync_children(outcome, changed, resolve, fresh=self.fresh, witness=self.witness)
        counts.add(outcome.counts)
        self.witness.flush()
        return counts

    @transaction.atomic
    def _delete(self, instances) -> int:
        """Deletes `instances`, telling the history; returns how many."""
        rows = list(instances.values_list("id", "name", "project_id"))
        self.witness.gone("instance", rows)
        self.witness.flush()
        return delete_ids(Instance, [row[0] for row in rows])


def _pages(records):
    records = iter(records)
    while page := list(islice(records, PAGE)):
        yield page


def _unchanged(cloud, fingerprints: dict) -> set:
    """The real ids of the instances whose stored fingerprint is the one the cloud sends now
    (and that are not marked unreachable): nothing of them is built or written."""
    stored = (
        Instance.objects.filter(cloud=cloud, real_id__in=list(fingerprints))
        .filter(unreachable_since__isnull=True)
        .order_by()
        .values_list("real_id", "fingerprint")
    )
    return {real_id for real_id, fingerprint in stored if fingerprints[real_id] == fingerprint}


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
    if row["observed_at"] and row["observed_at"] > values["observed_at"]:
        return {name: row[name] for name in values}  # a poll since the listing was asked for
    if values["unreachable_since"] is None:
        return _keep_interim(row, values)
    # A partial record is no news: every field stays as the cloud last said, marked unreachable.
    return {
        **{name: row[name] for name in values},
        "unreachable_since": row["unreachable_since"] or values["unreachable_since"],
    }


def _sync_children(outcome, records, resolve, *, fresh: bool, witness: Witness) -> None:
    """The metadata and networks of the instances whose fingerprint changed, against their own
    rows (a first load has none to compare with)."""
    ids = [outcome.ids[r.real_id] for r in records]
    metadata = {outcome.ids[r.real_id]: set(r.metadata.items()) for r in records}
    networks = {outcome.ids[r.real_id]: resolve.networks(r) for r in records}
    scope = {"instance__in": [] if fresh else ids}
    replace_details(
        outcome,
        "instance",
        scope,
        (InstanceMetadata, metadata),
        (Instance.networks.through, networks),
        witness,
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

    def fingerprint(self, r) -> str:
        """A hash of what the cloud says of a server and of what its references resolve to
        (a server said the same of again is rewritten when its image became known, say):
        computed from the record alone: an unchanged server costs this hash and no row."""
        resolved = (
            self.flavor(r),
            self.images.get(r.image_real_id),
            self.keypairs.get(r.keypair_name),
            *sorted(network for (network,) in self.networks(r)),
        )
        said = (
            [pk and pk.int for pk in resolved],  # (reprs of UUIDs and datetimes cost more)
            r.name,
            r.state,
            r.flavor_real_id,
            r.flavor_name,
            r.image_real_id,
            r.keypair_name,
            r.availability_zone,
            r.addresses,
            r.network_names,
            sorted(r.metadata.items()),
            r.is_locked,
            r.fqdn,
            r.created and r.created.timestamp(),
            r.last_updated and r.last_updated.timestamp(),
        )
        return hashlib.blake2b(repr(said).encode(), digest_size=16).hexdigest()

    def values(self, r, fingerprint: str = "") -> dict:
        return {
            "project_id": self.project.id,
            "name": r.name,
            "state": r.state,
            "flavor_id": self.flavor(r),
            "image_id": self.images.get(r.image_real_id),
            "keypair_id": self.keypairs.get(r.keypair_name),
            "availability_zone": r.availability_zone,
            "addresses": list(r.addresses),
            "fqdn": r.fqdn,
            "is_locked": r.is_locked,
            "created": r.created,
            "last_updated": r.last_updated,
            "unreachable_since": None,
            "fingerprint": fingerprint,
        }

    def flavor(self, r):
        return self.flavors_by_id.get(r.flavor_real_id) or self.flavors_by_name.get(r.flavor_name)

    def networks(self, r) -> set:
        return {
            (self.networks_by_name[name],)
            for name in r.network_names
            if name in self.networks_by_name
        }
