"""Deterministic data for a simulated cloud: the same options and seed give the same cloud."""

import base64
import gc
import hashlib
import random
import uuid
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

from openstack_simulator import lifecycle as lc
from openstack_simulator.identity import AppCredential, Identity, Project, User
from openstack_simulator.options import Options
from openstack_simulator.state import (
    Flavor,
    Image,
    Keypair,
    Network,
    Region,
    ResizeSource,
    Server,
    Subnet,
    Zone,
    address,
    port_addresses,
)

T = TypeVar("T")

# Generated resources date from this window, so anything the API changes is newer.
EPOCH_START = 1672531200.0  # 2023-01-01T00:00:00Z
EPOCH_END = 1735689600.0  # 2025-01-01T00:00:00Z

PROJECT_NAMES = ("demo", "web-shop", "data-platform", "ci", "research", "mobile", "analytics")
USER_NAMES = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
SERVER_ROLES = ("web", "api", "db", "cache", "worker", "batch", "k8s-node", "gpu")
KEY_NAMES = ("deploy", "ops", "ci-runner")
METADATA_CHOICES = {
    "env": ("prod", "staging", "dev"),
    "team": ("web", "data", "infra", "ml"),
    "backup": ("daily", "weekly"),
    "ha": ("true",),
}
TAG_CHOICES = ("k8s", "frontend", "backend", "monitoring", "legacy")

# (id or None for a generated uuid, name, vcpus, ram MiB, disk GiB, ephemeral, swap, extra specs)
FLAVORS = (
    ("1", "m1.tiny", 1, 512, 1, 0, 0, {}),
    ("2", "m1.small", 1, 2048, 20, 0, 0, {}),
    ("3", "m1.medium", 2, 4096, 40, 0, 0, {}),
    ("4", "m1.large", 4, 8192, 80, 0, 0, {}),
    ("5", "m1.xlarge", 8, 16384, 160, 0, 0, {}),
    (None, "c1.large", 8, 8192, 40, 0, 0, {"hw:cpu_policy": "dedicated"}),
    (None, "r1.large", 4, 32768, 80, 20, 2048, {"hw:mem_page_size": "large"}),
    (None, "g1.xlarge", 16, 65536, 200, 0, 0, {"pci_passthrough:alias": "a100:1"}),
)
FLAVOR_WEIGHTS = (2, 10, 14, 8, 3, 3, 2, 1)

# (name, os_distro, os_version, disk_format, size MiB, min_disk)
IMAGES = (
    ("ubuntu-24.04", "ubuntu", "24.04", "qcow2", 580, 10),
    ("ubuntu-22.04", "ubuntu", "22.04", "qcow2", 650, 10),
    ("debian-12", "debian", "12", "qcow2", 420, 8),
    ("rocky-9", "rocky", "9.4", "qcow2", 1050, 10),
    ("centos-stream-9", "centos", "9", "qcow2", 1180, 10),
    ("fedora-40", "fedora", "40", "qcow2", 480, 8),
    ("cirros-0.6.2", "cirros", "0.6.2", "qcow2", 21, 1),
    ("windows-server-2022", "windows", "2022", "raw", 9800, 40),
)
IMAGE_WEIGHTS = (12, 10, 6, 4, 3, 2, 1, 2)

# (vm_state, power_state, weight); resized servers await a confirmResize.
SERVER_STATES = (
    (lc.ACTIVE, lc.RUNNING, 82),
    (lc.STOPPED, lc.SHUTDOWN, 9),
    (lc.ERROR, lc.NOSTATE, 3),
    (lc.PAUSED, lc.POWER_PAUSED, 2),
    (lc.SUSPENDED, lc.POWER_SUSPENDED, 2),
    (lc.RESIZED, lc.RUNNING, 2),
)
NO_VALID_HOST = "No valid host was found. There are not enough hosts available."
SERVERS_PER_HOST = 40

DEFAULT_QUOTA = {
    "instances": 10,
    "cores": 20,
    "ram": 51200,
    "key_pairs": 100,
    "metadata_items": 128,
    "server_groups": 10,
    "server_group_members": 10,
    "injected_files": 5,
    "injected_file_content_bytes": 10240,
    "injected_file_path_bytes": 255,
    "fixed_ips": -1,
    "floating_ips": 10,
    "security_groups": 10,
    "security_group_rules": 20,
}


def new_uuid(rng: random.Random) -> str:
    """A version 4 UUID from ``rng``; formatted by hand, as uuid.UUID is slow for 100,000s."""
    bits = rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62))
_UUID_SET = (0x4 << 76) | (0x2 << 62)


def new_hex_id(rng: random.Random) -> str:
    """Keystone style: 32 hex digits."""
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """``rng.choice``, with one draw and without its overhead."""
    return items[int(rng.random() * len(items))]


class WeightedPicker(Generic[T]):
    """``rng.choices(items, weights)[0]``, with one draw and without its overhead."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def new_mac(rng: random.Random) -> str:
    low = rng.getrandbits(24)
    return f"fa:16:3e:{low >> 16:02x}:{(low >> 8) & 0xFF:02x}:{low & 0xFF:02x}"


def generate(options: Options) -> tuple[Identity, dict[str, Region]]:
    # The cyclic garbage collector would rescan the growing heap many times over while
    # 100,000s of servers are made, and nothing made here is garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(options)
    finally:
        if collecting:
            gc.enable()


def _generate(options: Options) -> tuple[Identity, dict[str, Region]]:
    identity = build_identity(options, random.Random(f"{options.seed}:identity"))
    regions: dict[str, Region] = {}
    count = len(options.regions)
    for index, name in enumerate(options.regions):
        servers = options.servers // count + (index < options.servers % count)
        rng = random.Random(f"{options.seed}:{name}")
        regions[name] = RegionBuilder(rng, identity, name, index).build(servers)
    return identity, regions


def build_identity(options: Options, rng: random.Random) -> Identity:
    identity = Identity(options.domain_name)
    names = [options.project_name, *PROJECT_NAMES]
    names += [f"project-{n:03d}" for n in range(len(names), options.projects)]
    for name in names[: options.projects]:
        project = Project(new_hex_id(rng), name, f"The {name} project")
        identity.projects[project.id] = project
    admin_project = next(iter(identity.projects.values()))
    admin = User(new_hex_id(rng), options.username, options.password, admin_project.id)
    identity.users[admin.id] = admin
    for index, project in enumerate(identity.projects.values()):
        name = USER_NAMES[index % len(USER_NAMES)] + ("" if index < len(USER_NAMES) else str(index))
        user = User(new_hex_id(rng), name, default_project_id=project.id)
        identity.users[user.id] = user
    credential = AppCredential(
        new_hex_id(rng), "simulator", rng.getrandbits(256).to_bytes(32).hex(), admin, admin_project
    )
    identity.app_credentials[credential.id] = credential
    return identity


@dataclass
class ProjectKit:
    """What a project's servers are made from in one region."""

    project: Project
    user_id: str
    networks: list[Network]
    snapshots: list[Image]


class RegionBuilder:
    def __init__(self, rng: random.Random, identity: Identity, name: str, index: int) -> None:
        self.rng = rng
        self.identity = identity
        self.region = Region(name)
        self.index = index
        self.admin_project = next(iter(identity.projects.values()))
        self.admin_user = next(iter(identity.users.values()))

    def build(self, servers: int) -> Region:
        self.add_flavors()
        self.add_images()
        public = self.add_network(self.admin_project, "public", ["198.18.0.0/15", "2001:db8::/64"])
        public.shared = public.external = True
        public.mtu = 1500
        self.add_keypairs()
        projects = self.identity.projects.values()
        kits = [self.project_kit(number, project) for number, project in enumerate(projects)]
        self.add_zones(servers)
        self.add_servers(servers, kits, public)
        self.add_quotas()
        return self.region

    def add_flavors(self) -> None:
        for flavor_id, name, vcpus, ram, disk, ephemeral, swap, specs in FLAVORS:
            flavor = Flavor(
                flavor_id or new_uuid(self.rng), name, vcpus, ram, disk, ephemeral, swap
            )
            flavor.extra_specs = {"hw_rng:allowed": "True", **specs}
            self.region.flavors[flavor.id] = flavor

    def add_images(self) -> None:
        for number, (name, distro, version, disk_format, size_mib, min_disk) in enumerate(IMAGES):
            image = self.new_image(name, self.admin_project.id, EPOCH_START - 86400 * (60 - number))
            image.disk_format, image.min_disk = disk_format, min_disk
            image.size = size_mib * 1024 * 1024 + self.rng.randrange(1 << 20)
            image.virtual_size = min_disk * 1024**3
            image.properties = {"os_distro": distro, "os_version": version, "hw_disk_bus": "virtio"}

    def new_image(self, name: str, owner: str, created: float) -> Image:
        image = Image(new_uuid(self.rng), name, owner, created, created)
        image.checksum = f"{self.rng.getrandbits(128):032x}"
        image.os_hash_value = f"{self.rng.getrandbits(512):0128x}"
        self.region.images[image.id] = image
        return image

    def add_network(self, project: Project, name: str, cidrs: list[str]) -> Network:
        created = EPOCH_START - 86400 * 30
        network = Network(new_uuid(self.rng), name, project.id, created)
        for number, cidr in enumerate(cidrs):
            subnet = Subnet(new_uuid(self.rng), "", network.id, project.id, cidr, created)
            kind = "ipv6-subnet" if subnet.ip_version == 6 else "subnet"
            subnet.name = f"{name}-{kind}" if number < 2 else f"{name}-{kind}-{number}"
            subnet.dns_nameservers = ["192.0.2.53"] if subnet.ip_version == 4 else []
            network.subnets.append(subnet)
            self.region.subnets[subnet.id] = subnet
        self.region.networks[network.id] = network
        return network

    def add_keypairs(self) -> None:
        for number, name in enumerate(KEY_NAMES):
            raw = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + self.rng.randbytes(32)
            digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
            self.region.keypairs[name] = Keypair(
                name,
                f"ssh-ed25519 {base64.b64encode(raw).decode()} {name}@simulator",
                ":".join(digest[i : i + 2] for i in range(0, 32, 2)),
                self.admin_user.id,
                EPOCH_START - 86400 * (20 - number),
            )

    def project_kit(self, number: int, project: Project) -> ProjectKit:
        user_id = next(
            user.id
            for user in self.identity.users.values()
            if user.default_project_id == project.id and user is not self.admin_user
        )
        networks = [self.add_network(project, f"{project.name}-net", [f"10.{number % 256}.0.0/16"])]
        if number % 2:
            cidr = f"10.{(100 + number) % 256}.0.0/16"
            networks.append(self.add_network(project, f"{project.name}-db", [cidr]))
        snapshots = []
        for count in range(2):
            created = EPOCH_START + self.rng.random() * (EPOCH_END - EPOCH_START)
            image = self.new_image(f"{project.name}-snapshot-{count}", project.id, created)
            image.visibility, image.size = "private", self.rng.randrange(1 << 30, 1 << 34)
            image.properties = {"image_type": "snapshot", "instance_uuid": new_uuid(self.rng)}
            snapshots.append(image)
        return ProjectKit(project, user_id, networks, snapshots)

    def add_zones(self, servers: int) -> None:
        hosts = max(2, -(-servers // SERVERS_PER_HOST))
        for letter, name in zip("ab", ("nova", "az2"), strict=True):
            names = [f"cmp-r{self.index + 1}{letter}-{n:04d}" for n in range(-(-hosts // 2))]
            self.region.zones.append(Zone(name, names))

    def add_servers(self, count: int, kits: list[ProjectKit], public: Network) -> None:
        maker = ServerMaker(self.rng, self.region, kits, public)
        span = (EPOCH_END - EPOCH_START) / max(count, 1)
        for number in range(count):
            created = EPOCH_START + (number + self.rng.random()) * span
            self.region.add_server(maker.make(created, seq=number + 1))

    def add_quotas(self) -> None:
        usage: dict[str, list[int]] = {}
        for server in self.region.live_servers():
            used = usage.setdefault(server.project_id, [0, 0, 0])
            used[0] += 1
            used[1] += server.flavor.vcpus
            used[2] += server.flavor.ram
        for project_id, (instances, cores, ram) in usage.items():
            self.region.quotas[project_id] = {
                **DEFAULT_QUOTA,
                "instances": max(10, _round_up(instances * 1.25, 10)),
                "cores": max(20, _round_up(cores * 1.25, 10)),
                "ram": max(51200, _round_up(ram * 1.25, 1024)),
            }


def _round_up(value: float, step: int) -> int:
    return int(-(-value // step) * step)


class ServerMaker:
    """Makes the generated servers: mostly active, some booted from volumes, some with
    addresses on several networks, a few in error, paused, suspended or awaiting a resize."""

    def __init__(
        self, rng: random.Random, region: Region, kits: list[ProjectKit], public: Network
    ) -> None:
        self.rng = rng
        self.region = region
        self.pick_kit = WeightedPicker(kits, [1] + [rng.randint(2, 6) for _ in kits[1:]])
        self.pick_state = WeightedPicker(SERVER_STATES, [state[2] for state in SERVER_STATES])
        self.flavors = list(region.flavors.values())
        self.pick_flavor = WeightedPicker(self.flavors, FLAVOR_WEIGHTS)
        public_images = list(region.images.values())[: len(IMAGES)]
        self.pick_public_image = WeightedPicker(public_images, IMAGE_WEIGHTS)
        self.public = public
        self.key_names = (*KEY_NAMES, None)

    def make(self, created: float, seq: int) -> Server:
        rng = self.rng
        kit = self.pick_kit(rng)
        zone = pick(rng, self.region.zones)
        vm_state, power_state, _ = self.pick_state(rng)
        server = Server(
            id=new_uuid(rng),
            name=f"{kit.project.name}-{pick(rng, SERVER_ROLES)}-{seq:05d}",
            project_id=kit.project.id,
            user_id=kit.user_id,
            flavor=self.pick_flavor(rng),
            image_id=self.pick_image(kit),
            availability_zone=zone.name,
            host=pick(rng, zone.hosts),
            created=created,
            seq=seq,
            vm_state=vm_state,
            power_state=power_state,
            updated=created + rng.random() * min(EPOCH_END - created, 30 * 86400),
            launched_at=created + 5 + rng.random() * 85,
            key_name=pick(rng, self.key_names),
            metadata={k: pick(rng, v) for k, v in METADATA_CHOICES.items() if rng.random() < 0.3},
            tags=[tag for tag in TAG_CHOICES if rng.random() < 0.08],
        )
        if not server.image_id:
            server.volumes = [new_uuid(rng)]
        if vm_state == lc.ERROR:
            self.never_started(server)
        else:
            server.addresses = self.addresses(kit)
            server.locked = rng.random() < 0.03
        if vm_state == lc.RESIZED:
            old = pick(rng, [f for f in self.flavors if f is not server.flavor])
            server.resize_source = ResizeSource(old, lc.ACTIVE, pick(rng, zone.hosts))
        return server

    def pick_image(self, kit: ProjectKit) -> str:
        draw = self.rng.random()
        if draw < 0.15:
            return ""  # booted from a volume
        if draw < 0.2:
            return pick(self.rng, kit.snapshots).id
        return self.pick_public_image(self.rng).id

    def never_started(self, server: Server) -> None:
        server.host, server.launched_at = "", None
        server.fault = {"code": 500, "created": server.updated, "message": NO_VALID_HOST}

    def addresses(self, kit: ProjectKit) -> dict[str, list[dict[str, object]]]:
        rng = self.rng
        primary = kit.networks[0]
        mac = new_mac(rng)
        addresses = {primary.name: port_addresses(primary, mac)}
        if rng.random() < 0.2:
            addresses[primary.name].append(address(self.public.subnets[0], mac, "floating"))
        if len(kit.networks) > 1 and rng.random() < 0.3:
            second = kit.networks[1]
            addresses[second.name] = port_addresses(second, new_mac(rng))
        if rng.random() < 0.08:
            addresses[self.public.name] = port_addresses(self.public, new_mac(rng))
        return addresses
