"""Fill the inventory with a realistic, deterministic data set of any size, in bulk."""

import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

import factory
from django.db import connection, transaction

from . import factories
from .bulk import indexes_built_after, insert_rows
from .models import Cloud, Instance, InstanceMetadata

BATCH = 50000
TEAMS = ["payments", "search", "platform", "qa", "data"]
# Factories whose sequences name what a seed makes; restarted so a seed always gives the same.
SEQUENCED = [
    factories.NetworkFactory,
    factories.SubnetFactory,
    factories.KeypairFactory,
]


@dataclass
class SeedSummary:
    clouds: int
    projects: int
    images: int
    instances: int


@dataclass
class _Region:
    """A seeded project and what its instances can be made of."""

    project: object
    flavors: list
    networks: list
    keypairs: list
    images: list


def seed_inventory(instances: int, clouds: int = 2, regions: int = 2, seed: int = 1) -> SeedSummary:
    """Adds `clouds` clouds of `regions` projects each and `instances` instances spread over them.

    Clouds are named `seed<seed>-cloud<n>`; seeding with the same seed twice is refused.
    """
    names = [f"seed{seed}-cloud{n}" for n in range(1, clouds + 1)]
    if Cloud.objects.filter(name__in=names).exists():
        raise ValueError(f"Clouds of seed {seed} exist already; use another seed or flush first")
    factory.random.reseed_random(seed)
    for sequenced in SEQUENCED:
        sequenced.reset_sequence()
    with transaction.atomic():
        seeded = [region for name in names for region in _seed_cloud(name, regions)]
    made = _seed_instances(instances, seeded)
    with connection.cursor() as cursor:
        # Statistics of the new rows now: until autovacuum gets to them, PostgreSQL plans the
        # listings' prefetch queries on empty tables, with sequential scans.
        cursor.execute("ANALYZE")
    return SeedSummary(clouds, len(seeded), clouds * len(factories.IMAGES), made)


def _seed_cloud(name: str, regions: int) -> list[_Region]:
    cloud = factories.CloudFactory(name=name, seeded=True)
    projects = [
        factories.ProjectFactory(cloud=cloud, region=f"Region{n}") for n in range(1, regions + 1)
    ]
    images = [
        factories.ImageFactory(cloud=cloud, name=name, projects=projects)
        for name in factories.IMAGES
    ]
    for image in images:
        factories.ImageMetadataFactory(image=image)
    return [_seed_project(project, images) for project in projects]


def _seed_project(project, images) -> _Region:
    factories.ProjectMetadataFactory(project=project)
    factories.QuotaFactory(project=project)
    for zone in ("nova", "az-2"):
        factories.AvailabilityZoneFactory(project=project, name=zone)
    networks = factories.NetworkFactory.create_batch(3, project=project)
    for network in networks:
        factories.SubnetFactory(network=network)
    return _Region(
        project=project,
        flavors=[factories.FlavorFactory(project=project, size=size) for size in factories.FLAVORS],
        networks=networks,
        keypairs=factories.KeypairFactory.create_batch(3, project=project),
        images=images,
    )


def _seed_instances(count: int, regions: list[_Region]) -> int:
    """Instances as plain rows, as InstanceFactory makes them (building a factory object per
    instance cost more than writing it), written by COPY on PostgreSQL, in batches. Into an
    empty inventory, in one transaction with the indexes built after the load (a million rows
    a batch at a time into indexed tables took minutes, most of them the database's); else a
    transaction per batch."""
    tables = (Instance, InstanceMetadata, Instance.networks.through)
    first = not Instance.objects.exists()
    made = 0
    with indexes_built_after(*tables) if first else nullcontext():
        for start in range(0, count, BATCH):
            batch = [regions[n % len(regions)] for n in range(start, min(start + BATCH, count))]
            rows = [_instance_row(n, region) for n, region in enumerate(batch, start=start)]
            with transaction.atomic():
                insert_rows(Instance, INSTANCE_FIELDS, rows)
                _seed_instance_details(rows, batch)
            made += len(rows)
    return made


INSTANCE_FIELDS = (
    "id",
    "project",
    "cloud",
    "real_id",
    "name",
    "flavor",
    "image",
    "keypair",
    "state",
    "availability_zone",
    "addresses",
    "fqdn",
    "created",
    "last_updated",
)
_STATES, _STATE_WEIGHTS = zip(*factories.STATE_WEIGHTS, strict=True)
_STATE_CUMULATIVE = list(accumulate(_STATE_WEIGHTS))  # as choices() sums them, once


def _instance_row(n: int, region: _Region) -> tuple:
    rng = factory.random.randgen
    project = region.project
    name = f"{factories.ROLES[n % len(factories.ROLES)]}-{n:06d}"
    created = factories.EPOCH + timedelta(seconds=rng.randrange(300 * 86400))
    return (
        uuid.UUID(int=rng.getrandbits(128), version=4),
        project.id,
        project.cloud_id,
        str(uuid.UUID(int=rng.getrandbits(128))),
        name,
        rng.choice(region.flavors).id,
        rng.choice(region.images).id,
        rng.choice(region.keypairs).id,
        rng.choices(_STATES, cum_weights=_STATE_CUMULATIVE)[0],
        "nova",
        [f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"],
        f"{name}.{project.region}.lan",
        created,
        created + timedelta(seconds=rng.randrange(86400 * 30)),
    )


def _seed_instance_details(rows: list[tuple], regions) -> None:
    pick = factory.random.randgen.choice
    metadata = []
    links = []
    for row, region in zip(rows, regions, strict=True):
        instance_id, name = row[0], row[4]
        metadata.append((instance_id, "role", name[:-7]))
        metadata.append((instance_id, "team", pick(TEAMS)))
        links.append((instance_id, pick(region.networks).id))
    insert_rows(InstanceMetadata, ("instance", "key", "value"), metadata)
    insert_rows(Instance.networks.through, ("instance", "network"), links)
