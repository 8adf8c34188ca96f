"""A small inventory of two clouds, one project each, with known names, states and times."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from apps.inventory import factories
from tests.clients import client_of, granted


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, tzinfo=UTC)


@dataclass
class World:
    projects: dict = field(default_factory=dict)
    instances: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)


# (project, name, state, created day, updated day); created None for a launch not yet made.
INSTANCES = [
    ("a", "web-1", "launched", 1, 10),
    ("a", "web-2", "shutoff", 2, 9),
    ("a", "db-1", "error", 3, 8),
    ("a", "Web-Admin", "launched", 4, 7),
    ("a", "queued-1", "queued", None, None),
    ("b", "web-3", "launched", 5, 6),
    ("b", "cache-1", "paused", 6, 5),
]


@pytest.fixture
def world(db) -> World:
    world = World()
    for side, cloud_name, region in (("a", "east", "RegionOne"), ("b", "west", "RegionTwo")):
        cloud = factories.CloudFactory(name=cloud_name)
        project = factories.ProjectFactory(cloud=cloud, region=region, created=at(1))
        factories.ProjectMetadataFactory(project=project)
        image = factories.ImageFactory(
            cloud=cloud, projects=[project], name=f"image-{side}", created=at(2), state="saved"
        )
        factories.ImageMetadataFactory(image=image)
        network = factories.NetworkFactory(project=project, name=f"net-{side}")
        factories.SubnetFactory(network=network)
        world.projects[side] = project
        world.images[side] = image
    for side, name, state, created, updated in INSTANCES:
        project = world.projects[side]
        instance = factories.InstanceFactory(
            project=project,
            name=name,
            state=state,
            image=world.images[side],
            created=created and at(created),
            last_updated=updated and at(updated),
        )
        instance.networks.set(project.networks.all())
        factories.InstanceMetadataFactory(instance=instance)
        world.instances[name] = instance
    return world


@pytest.fixture
def viewer_a(world):
    """A client of a viewer of project a (cloud east) only."""
    return client_of(granted("viewer-a", viewer=world.projects["a"]))
