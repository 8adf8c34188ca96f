"""Catalog sync: the cloud's projects (one per region) with their flavors, networks, subnets,
keypairs, availability zones and quota, and the cloud's images."""

from django.db import transaction
from django.utils import timezone

from apps.inventory.models import (
    RESOURCES,
    AvailabilityZone,
    Flavor,
    Image,
    ImageMetadata,
    Instance,
    Keypair,
    Network,
    Project,
    ProjectMetadata,
    Quota,
    Subnet,
)

from ..drivers import Driver
from .reconcile import (
    Counts,
    count_child_changes,
    grouped,
    reconcile,
    replace_children,
    replace_details,
)
from .witness import Witness


def sync_catalog(driver: Driver, cloud, progress, run_id: int | None = None) -> Counts:
    """The cloud's catalog; what changed goes to the history, caused by the sync run `run_id`."""
    counts = Counts()
    witness = Witness(cloud.id, run_id)
    regions = driver.regions()
    progress("projects", 0, len(regions))
    projects = _sync_projects(cloud, regions, counts, witness)
    images: dict[str, tuple] = {}
    for done, (region, project) in enumerate(projects.items(), start=1):
        counts.add(_sync_region(driver, region, project, witness))
        for record in driver.images(region):
            images.setdefault(record.real_id, (record, set()))[1].add(project.id)
        progress("projects", done, len(regions))
    counts.add(_sync_images(cloud, images, witness))
    return counts


@transaction.atomic
def _sync_projects(cloud, regions: list[str], counts: Counts, witness) -> dict[str, Project]:
    incoming = {region: {"name": f"{cloud.name}_{region}", "region": region} for region in regions}
    existing = Project.objects.filter(cloud=cloud)
    scope = ("cloud", cloud.id)
    outcome = reconcile(Project, existing, scope, incoming, complete=True, witness=witness)
    witness.flush()
    wanted = {outcome.ids[region]: {("region", region)} for region in regions}
    current = grouped(
        ProjectMetadata.objects.filter(project__cloud=cloud).values_list("project", "key", "value")
    )
    count_child_changes(
        outcome, replace_children(ProjectMetadata, "project", ("key", "value"), current, wanted)
    )
    counts.add(outcome.counts)
    by_id = {project.id: project for project in Project.objects.filter(cloud=cloud)}
    return {region: by_id[outcome.ids[region]] for region in regions}


def _sync_region(driver: Driver, region: str, project: Project, witness) -> Counts:
    """Everything listed per project; every listing is read whole before anything is written."""
    listings = {
        "flavors": driver.flavors(region),
        "networks": driver.networks(region),
        "subnets": driver.subnets(region),
        "keypairs": driver.keypairs(region),
        "zones": driver.zones(region),
        "quota": driver.quota(region),
    }
    counts = Counts()
    with transaction.atomic():
        flavors, networks = _flavors(listings["flavors"]), _networks(listings["networks"])
        counts.add(_reconcile_in_project(Flavor, project, flavors, witness))
        counts.add(_reconcile_in_project(Network, project, networks, witness))
        subnets = _subnets(listings["subnets"], _networks_by_real_id(project))
        counts.add(_reconcile_in_project(Subnet, project, subnets))
        counts.add(_reconcile_in_project(Keypair, project, _keypairs(listings["keypairs"])))
        counts.add(_reconcile_in_project(AvailabilityZone, project, _zones(listings["zones"])))
        counts.add(_sync_quota(project, listings["quota"]))
        witness.flush()
    return counts


def _reconcile_in_project(model, project, incoming, witness=None) -> Counts:
    existing = model.objects.filter(project=project)
    scope = ("project", project.id)
    return reconcile(model, existing, scope, incoming, complete=True, witness=witness).counts


def _networks_by_real_id(project) -> dict:
    return dict(Network.objects.filter(project=project).values_list("real_id", "id"))


def _flavors(records) -> dict:
    return {
        r.real_id: {
            "name": r.name,
            "vcpus": r.vcpus,
            "ram": r.ram,
            "root_disk": r.root_disk,
            "ephemeral_disk": r.ephemeral_disk,
            "swap": r.swap,
            "is_public": r.is_public,
        }
        for r in records
    }


def _networks(records) -> dict:
    return {
        r.real_id: {"name": r.name, "state": r.state, "is_shared": r.is_shared} for r in records
    }


def _subnets(records, networks: dict) -> dict:
    return {
        r.real_id: {
            "name": r.name,
            "network_id": networks[r.network_real_id],
            "cidr": r.cidr,
            "protocol_version": r.protocol_version,
            "gateway": r.gateway,
            "is_dhcp_enabled": r.is_dhcp_enabled,
        }
        for r in records
        if r.network_real_id in networks  # a subnet of a network the project cannot list
    }


def _keypairs(records) -> dict:
    return {
        r.name: {"name": r.name, "fingerprint": r.fingerprint, "public_key": r.public_key}
        for r in records
    }


def _zones(records) -> dict:
    return {r.name: {"name": r.name, "is_available": r.is_available} for r in records}


def _sync_quota(project, record) -> Counts:
    values = {}
    for resource in RESOURCES:
        used, limit = record.usage.get(resource, (None, None))
        values[f"{resource}_used"], values[f"{resource}_limit"] = used, limit
    current = Quota.objects.filter(project=project).values(*values).first()
    if current == values:
        return Counts(unchanged=1)
    Quota.objects.update_or_create(
        project=project, defaults=values | {"last_updated": timezone.now()}
    )
    return Counts(created=1) if current is None else Counts(updated=1)


@transaction.atomic
def _sync_images(cloud, listing: dict[str, tuple], witness) -> Counts:
    existing = Image.objects.filter(cloud=cloud, real_id__isnull=False)
    incoming = _image_values(cloud, listing)
    scope = ("cloud", cloud.id)
    outcome = reconcile(Image, existing, scope, incoming, complete=True, witness=witness)
    metadata = {
        outcome.ids[real_id]: set(r.metadata.items()) for real_id, (r, _) in listing.items()
    }
    projects = {
        outcome.ids[real_id]: {(p,) for p in project_ids}
        for real_id, (_, project_ids) in listing.items()
    }
    replace_details(
        outcome,
        "image",
        {"image__cloud": cloud},
        (ImageMetadata, metadata),
        (Image.projects.through, projects),
        witness,
    )
    witness.flush()
    return outcome.counts


def _image_values(cloud, listing: dict[str, tuple]) -> dict[str, dict]:
    """{real id: Image field values} of the listed images; a snapshot names its instance."""
    snapshot_of = dict(
        Instance.objects.filter(
            cloud=cloud,
            real_id__in={r.instance_real_id for r, _ in listing.values() if r.instance_real_id},
        ).values_list("real_id", "id")
    )
    return {
        real_id: {
            "name": r.name,
            "state": r.state,
            "checksum": r.checksum,
            "created": r.created,
            "last_updated": r.last_updated,
            "instance_id": snapshot_of.get(r.instance_real_id),
        }
        for real_id, (r, _) in listing.items()
    }
