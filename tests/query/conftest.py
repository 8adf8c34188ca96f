"""A small inventory with known values, and helpers that run SQL through the query engine."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from apps.history.choices import EntityKind
from apps.history.record import Cause, Change, record
from apps.inventory import factories
from apps.inventory.access import Access
from apps.inventory.choices import Role
from apps.inventory.models import Grant


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 1, day, hour, 0, 0, tzinfo=UTC)


@pytest.fixture
def inventory(db):
    """Two clouds, three projects, two flavors, two images, four instances, and what they use.

    alpha_RegionOne: web-1 (m1.tiny, ubuntu, launched, in net-a), web-2 (m1.large, ubuntu,
    shutoff); alpha_RegionTwo: db-1 (no flavor, no image, error); beta_RegionOne: Selenium-1
    (cirros, launched). Quota only for alpha_RegionOne.
    """
    alpha = factories.CloudFactory(name="alpha")
    beta = factories.CloudFactory(name="beta")
    one = factories.ProjectFactory(
        cloud=alpha, region="RegionOne", created=at(1), last_updated=at(1)
    )
    two = factories.ProjectFactory(
        cloud=alpha, region="RegionTwo", created=at(1), last_updated=at(2)
    )
    other = factories.ProjectFactory(
        cloud=beta, region="RegionOne", created=at(1), last_updated=at(3)
    )
    factories.ProjectMetadataFactory(project=one, key="region", value="RegionOne")
    factories.QuotaFactory(
        project=one,
        instances_used=2,
        instances_limit=10,
        vcpus_used=5,
        vcpus_limit=20,
        ram_used=None,
        ram_limit=None,
        keypairs_used=None,
        keypairs_limit=-1,
    )
    tiny = factories.FlavorFactory(
        project=one, name="m1.tiny", vcpus=1, ram=512, root_disk=1, swap=0, is_public=True
    )
    large = factories.FlavorFactory(
        project=one,
        name="m1.large",
        vcpus=4,
        ram=8192,
        root_disk=80,
        ephemeral_disk=10,
        swap=1024,
        is_public=False,
        notes="big",
    )
    ubuntu = factories.ImageFactory(
        cloud=alpha,
        name="ubuntu",
        checksum="abc",
        projects=[one, two],
        created=at(1),
        last_updated=at(1),
    )
    cirros = factories.ImageFactory(
        cloud=beta,
        name="cirros",
        checksum="def",
        projects=[other],
        created=at(1),
        last_updated=at(1),
    )
    factories.ImageMetadataFactory(image=ubuntu, key="os_distro", value="ubuntu")
    net = factories.NetworkFactory(project=one, name="net-a", state="ACTIVE", is_shared=False)
    factories.SubnetFactory(
        network=net,
        name="net-a-subnet",
        cidr="10.0.0.0/24",
        gateway="10.0.0.1",
        is_dhcp_enabled=True,
    )
    factories.KeypairFactory(
        project=one, name="key-a", fingerprint="aa:bb", public_key="ssh-ed25519 AAAA"
    )
    factories.AvailabilityZoneFactory(project=one, name="nova")

    def instance(name, project, flavor, image, state, addresses, day):
        return factories.InstanceFactory(
            name=name,
            project=project,
            flavor=flavor,
            image=image,
            state=state,
            addresses=addresses,
            created=at(day),
            last_updated=at(day, 13),
            fqdn=f"{name}.lan",
            availability_zone="nova",
            keypair=None,
        )

    web1 = instance("web-1", one, tiny, ubuntu, "launched", ["10.0.0.1", "fd00::1"], 1)
    instance("web-2", one, large, ubuntu, "shutoff", ["10.0.0.2"], 2)
    db1 = instance("db-1", two, None, None, "error", [], 3)
    selenium = instance("Selenium-1", other, None, cirros, "launched", ["192.168.0.5"], 4)
    web1.networks.add(net)
    factories.InstanceMetadataFactory(instance=web1, key="role", value="web")
    factories.InstanceMetadataFactory(instance=db1, key="role", value="db")
    state_changed(web1, "shutoff", "launched", at(5))
    state_changed(db1, "launched", "error", at(6))
    return {
        "web1": web1,
        "db1": db1,
        "selenium": selenium,
        "one": one,
        "two": two,
        "other": other,
        "tiny": tiny,
        "ubuntu": ubuntu,
        "cirros": cirros,
    }


@pytest.fixture
def project_b(inventory) -> set[str]:
    """Rows of every table in beta_RegionOne too (B, as opposed to A, alpha_RegionOne); the
    names and ids that only rows of projects other than A hold, which a viewer of A never sees.
    """
    other, selenium, cirros = inventory["other"], inventory["selenium"], inventory["cirros"]
    factories.ProjectMetadataFactory(project=other, key="owner", value="meta-b")
    factories.QuotaFactory(project=other)
    flavor = factories.FlavorFactory(project=other, name="flavor-b")
    net = factories.NetworkFactory(project=other, name="net-b")
    subnet = factories.SubnetFactory(network=net, name="subnet-b")
    factories.KeypairFactory(project=other, name="key-b")
    factories.AvailabilityZoneFactory(project=other, name="zone-b")
    selenium.networks.add(net)
    factories.InstanceMetadataFactory(instance=selenium, key="role", value="meta-b")
    factories.ImageMetadataFactory(image=cirros, key="os_distro", value="image-meta-b")
    state_changed(selenium, "shutoff", "launched", at(7))
    ids = [other, inventory["two"], selenium, inventory["db1"], cirros, flavor, net, subnet]
    names = ["beta", "alpha_RegionTwo", "Selenium-1", "db-1", "cirros", "flavor-b", "net-b"]
    return {
        *(str(row.id) for row in ids),
        *(row.real_id for row in (selenium, inventory["db1"], cirros)),
        *names,
        *("subnet-b", "key-b", "zone-b", "meta-b", "192.168.0.5"),
    }


def state_changed(instance, old: str, new: str, when: datetime) -> None:
    """An event in the history: the instance's state went from `old` to `new` at `when`."""
    change = Change(
        EntityKind.INSTANCE,
        instance.id,
        "state",
        old,
        new,
        name=instance.name,
        cloud_id=instance.cloud_id,
        project_id=instance.project_id,
    )
    record([change], Cause(sync_run_id=1), at=when)


def access_of(username: str, projects=(), clouds=()) -> Access:
    """The access of a new user, granted the viewer role on `projects` and `clouds`."""
    user = get_user_model().objects.create_user(username)
    for project in projects:
        Grant.objects.create(user=user, role=Role.VIEWER, project=project)
    for cloud in clouds:
        Grant.objects.create(user=user, role=Role.VIEWER, cloud=cloud)
    return Access(user)


@pytest.fixture
def viewer_of_a(inventory) -> Access:
    return access_of("viewer-a", projects=[inventory["one"]])
