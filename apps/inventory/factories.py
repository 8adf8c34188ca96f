"""factory-boy factories of a realistic inventory, for tests and the seed_inventory command."""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import factory
from factory import fuzzy

from .choices import ImageState, InstanceState
from .models import (
    AvailabilityZone,
    Cloud,
    Flavor,
    Image,
    ImageMetadata,
    Instance,
    InstanceMetadata,
    Keypair,
    Network,
    Project,
    ProjectMetadata,
    Quota,
    Subnet,
)

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

# (name, vcpus, ram MiB, root disk GiB): the usual OpenStack defaults.
FLAVORS = [
    ("m1.tiny", 1, 512, 1),
    ("m1.small", 1, 2048, 20),
    ("m1.medium", 2, 4096, 40),
    ("m1.large", 4, 8192, 80),
    ("m1.xlarge", 8, 16384, 160),
]
IMAGES = ["ubuntu-24.04", "ubuntu-22.04", "debian-12", "centos-stream-9", "rocky-9", "cirros-0.6"]
ROLES = ["web", "db", "cache", "worker", "build", "selenium", "proxy", "batch"]
# Mostly running, as in a real cloud, with some of every end state.
STATE_WEIGHTS = [
    (InstanceState.LAUNCHED, 80),
    (InstanceState.SHUTOFF, 10),
    (InstanceState.PAUSED, 3),
    (InstanceState.SUSPENDED, 3),
    (InstanceState.ERROR, 2),
    (InstanceState.LAUNCHING, 2),
]


def real_id():
    return factory.LazyFunction(lambda: str(uuid.UUID(int=factory.random.randgen.getrandbits(128))))


def moment(days_back: int):
    """A random time within `days_back` days after EPOCH."""
    return factory.LazyFunction(
        lambda: EPOCH + timedelta(seconds=factory.random.randgen.randrange(days_back * 86400))
    )


class CloudFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cloud
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"cloud-{n}")
    auth_url = factory.LazyAttribute(lambda cloud: f"https://keystone.{cloud.name}.example:5000/v3")
    username = "perspective"
    password = "not-a-real-password"  # noqa: S105 (a factory value, never a real secret)
    project_name = "perspective"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    cloud = factory.SubFactory(CloudFactory)
    region = factory.Sequence(lambda n: f"Region{n}")
    real_id = factory.SelfAttribute("region")
    name = factory.LazyAttribute(lambda project: f"{project.cloud.name}_{project.region}")
    created = moment(30)
    last_updated = factory.SelfAttribute("created")


class ProjectMetadataFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMetadata

    project = factory.SubFactory(ProjectFactory)
    key = "region"
    value = factory.SelfAttribute("project.region")


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    project = factory.SubFactory(ProjectFactory)
    instances_used = fuzzy.FuzzyInteger(0, 100)
    instances_limit = 100
    vcpus_used = fuzzy.FuzzyInteger(0, 400)
    vcpus_limit = 400
    ram_used = fuzzy.FuzzyInteger(0, 819200)
    ram_limit = 819200
    keypairs_used = fuzzy.FuzzyInteger(0, 10)
    keypairs_limit = 100


class FlavorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flavor

    class Params:
        size = factory.Iterator(FLAVORS)

    project = factory.SubFactory(ProjectFactory)
    real_id = real_id()
    name = factory.LazyAttribute(lambda flavor: flavor.size[0])
    vcpus = factory.LazyAttribute(lambda flavor: flavor.size[1])
    ram = factory.LazyAttribute(lambda flavor: flavor.size[2])
    root_disk = factory.LazyAttribute(lambda flavor: flavor.size[3])
    is_public = True


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image
        skip_postgeneration_save = True

    cloud = factory.SubFactory(CloudFactory)
    real_id = real_id()
    name = factory.Iterator(IMAGES)
    state = ImageState.SAVED
    checksum = factory.LazyAttribute(lambda image: hashlib.md5(image.real_id.encode()).hexdigest())  # noqa: S324
    created = moment(30)
    last_updated = factory.SelfAttribute("created")

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.set(extracted)


class ImageMetadataFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImageMetadata

    image = factory.SubFactory(ImageFactory)
    key = "os_distro"
    value = factory.LazyAttribute(lambda meta: meta.image.name.split("-")[0])


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    project = factory.SubFactory(ProjectFactory)
    real_id = real_id()
    name = factory.Sequence(lambda n: f"net-{n}")
    state = "ACTIVE"
    is_shared = False


class SubnetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subnet

    network = factory.SubFactory(NetworkFactory)
    project = factory.SelfAttribute("network.project")
    real_id = real_id()
    name = factory.LazyAttribute(lambda subnet: f"{subnet.network.name}-subnet")
    cidr = factory.Sequence(lambda n: f"10.{n // 256 % 256}.{n % 256}.0/24")
    gateway = factory.LazyAttribute(lambda subnet: subnet.cidr.replace(".0/24", ".1"))
    protocol_version = 4


class KeypairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keypair

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"key-{n}")
    real_id = factory.SelfAttribute("name")
    fingerprint = factory.LazyFunction(
        lambda: ":".join(f"{factory.random.randgen.getrandbits(8):02x}" for _ in range(16))
    )
    public_key = factory.LazyAttribute(lambda key: f"ssh-ed25519 AAAAC3Nza{key.name} perspective")


class AvailabilityZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AvailabilityZone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Iterator(["nova", "az-2"])
    real_id = factory.SelfAttribute("name")


class InstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instance

    project = factory.SubFactory(ProjectFactory)
    cloud = factory.SelfAttribute("project.cloud")
    real_id = real_id()
    name = factory.Sequence(lambda n: f"{ROLES[n % len(ROLES)]}-{n:06d}")
    flavor = factory.SubFactory(FlavorFactory, project=factory.SelfAttribute("..project"))
    image = factory.SubFactory(ImageFactory, cloud=factory.SelfAttribute("..cloud"))
    state = factory.LazyFunction(
        lambda: factory.random.randgen.choices(
            [state for state, _ in STATE_WEIGHTS], weights=[w for _, w in STATE_WEIGHTS]
        )[0]
    )
    availability_zone = "nova"
    addresses = factory.Sequence(lambda n: [f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"])
    fqdn = factory.LazyAttribute(lambda instance: f"{instance.name}.{instance.project.region}.lan")
    created = moment(300)
    last_updated = factory.LazyAttribute(
        lambda instance: (
            instance.created
            and instance.created + timedelta(seconds=factory.random.randgen.randrange(86400 * 30))
        )
    )


class InstanceMetadataFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstanceMetadata

    instance = factory.SubFactory(InstanceFactory)
    key = "role"
    value = factory.LazyAttribute(lambda meta: meta.instance.name.split("-")[0])
