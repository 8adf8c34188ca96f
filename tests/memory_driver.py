"""A second driver, holding a cloud in memory: fast unit tests of sync and operations run on it,
and it proves that the Driver protocol (apps/clouds/drivers) is all they ask of a cloud. The
simulator tests stay the integration layer, over real HTTP and openstacksdk.

Registered for the cloud type `memory` by the `memory_cloud` fixture (tests/conftest.py).
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from apps.clouds.choices import Operation
from apps.clouds.drivers.base import (
    DriverError,
    FlavorRecord,
    ImageRecord,
    KeypairRecord,
    NetworkRecord,
    NotFound,
    QuotaRecord,
    ServerRecord,
    ServerSpec,
    ServerStatus,
    SubnetRecord,
    ZoneRecord,
)

CLOUD_TYPE = "memory"


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Region:
    servers: dict[str, ServerRecord] = field(default_factory=dict)  # deleted ones: state None
    flavors: list[FlavorRecord] = field(default_factory=list)
    images: dict[str, ImageRecord] = field(default_factory=dict)
    awaiting_confirmation: set[str] = field(default_factory=set)


@dataclass
class MemoryCloud:
    """What the driver of a cloud of type `memory` sees; tests change it and read `calls`."""

    regions: dict[str, Region] = field(default_factory=dict)
    calls: list[tuple] = field(default_factory=list)  # (method, region, *arguments)
    failures: list[DriverError] = field(default_factory=list)  # raised by the next calls

    def add_server(self, region: str, name: str, state: str = "launched", **values) -> str:
        real_id = str(uuid.uuid4())
        flavor = self.regions[region].flavors[0]
        self.regions[region].servers[real_id] = _server(real_id, name, state, flavor, **values)
        return real_id

    def change(self, region: str, real_id: str, **values) -> None:
        servers = self.regions[region].servers
        servers[real_id] = replace(servers[real_id], last_updated=now(), **values)


def _server(real_id: str, name: str, state: str, flavor: FlavorRecord, **values) -> ServerRecord:
    record = ServerRecord(
        real_id=real_id,
        name=name,
        state=state,
        flavor_real_id=flavor.real_id,
        flavor_name=flavor.name,
        image_real_id=None,
        keypair_name=None,
        availability_zone="nova",
        addresses=(),
        network_names=(),
        metadata={},
        is_locked=False,
        fqdn="",
        created=now(),
        last_updated=now(),
    )
    return replace(record, **values)


def new_cloud(regions: tuple[str, ...] = ("RegionOne",)) -> MemoryCloud:
    flavors = [FlavorRecord(f"f{n}", f"m1.size{n}", n, 1024 * n, 10, 0, 0, True) for n in (1, 2)]
    return MemoryCloud({name: Region(flavors=list(flavors)) for name in regions})


CLOUDS: dict[str, MemoryCloud] = {}  # by cloud name: the drivers bound to one cloud share it


class MemoryDriver:
    cloud_type = CLOUD_TYPE
    operations = frozenset(Operation) - {Operation.MIGRATE_INSTANCE}

    def __init__(self, cloud):
        self.memory = CLOUDS[cloud.name]

    def _region(self, method: str, region: str, *arguments) -> Region:
        self.memory.calls.append((method, region, *arguments))
        if self.memory.failures:
            raise self.memory.failures.pop(0)
        return self.memory.regions[region]

    def regions(self) -> list[str]:
        return list(self.memory.regions)

    def servers(self, region: str, changes_since: datetime | None = None):
        for record in list(self._region("servers", region).servers.values()):
            if changes_since is None:
                if record.state is not None:  # a whole listing leaves the deleted out
                    yield record
            elif record.last_updated >= changes_since:
                yield record

    def server_statuses(self, region: str, changes_since: datetime):
        waiting = self.memory.regions[region].awaiting_confirmation
        for record in self.servers(region, changes_since):
            yield ServerStatus(
                record.real_id, record.state, record.real_id in waiting, "", record.last_updated
            )

    def flavors(self, region: str) -> list[FlavorRecord]:
        return list(self._region("flavors", region).flavors)

    def images(self, region: str) -> list[ImageRecord]:
        return list(self._region("images", region).images.values())

    def image(self, region: str, real_id: str) -> ImageRecord:
        try:
            return self._region("image", region, real_id).images[real_id]
        except KeyError:
            raise NotFound(f"Image {real_id} could not be found") from None

    def networks(self, region: str) -> list[NetworkRecord]:
        return []

    def subnets(self, region: str) -> list[SubnetRecord]:
        return []

    def keypairs(self, region: str) -> list[KeypairRecord]:
        return []

    def zones(self, region: str) -> list[ZoneRecord]:
        return [ZoneRecord("nova", True)]

    def quota(self, region: str) -> QuotaRecord:
        return QuotaRecord({})

    def create_server(self, region: str, spec: ServerSpec) -> str:
        servers = self._region("create_server", region, spec.name).servers
        flavor = next(
            f for f in self.memory.regions[region].flavors if f.real_id == spec.flavor_real_id
        )
        real_id = str(uuid.uuid4())
        servers[real_id] = _server(
            real_id, spec.name, "launched", flavor, image_real_id=spec.image_real_id
        )
        return real_id

    def _act(self, method: str, region: str, real_id: str, *arguments, **values) -> None:
        servers = self._region(method, region, real_id, *arguments).servers
        if servers.get(real_id) is None or servers[real_id].state is None:
            raise NotFound(f"Server {real_id} could not be found")
        servers[real_id] = replace(servers[real_id], last_updated=now(), **values)

    def delete_server(self, region: str, real_id: str) -> None:
        self._act("delete_server", region, real_id, state=None)

    def rename_server(self, region: str, real_id: str, name: str) -> None:
        self._act("rename_server", region, real_id, name, name=name)

    def reboot_server(self, region: str, real_id: str, hard: bool = False) -> None:
        self._act("reboot_server", region, real_id, hard, state="launched")

    def start_server(self, region: str, real_id: str) -> None:
        self._act("start_server", region, real_id, state="launched")

    def stop_server(self, region: str, real_id: str) -> None:
        self._act("stop_server", region, real_id, state="shutoff")

    def pause_server(self, region: str, real_id: str) -> None:
        self._act("pause_server", region, real_id, state="paused")

    def unpause_server(self, region: str, real_id: str) -> None:
        self._act("unpause_server", region, real_id, state="launched")

    def suspend_server(self, region: str, real_id: str) -> None:
        self._act("suspend_server", region, real_id, state="suspended")

    def resume_server(self, region: str, real_id: str) -> None:
        self._act("resume_server", region, real_id, state="launched")

    def resize_server(self, region: str, real_id: str, flavor_real_id: str) -> None:
        flavor = next(f for f in self.memory.regions[region].flavors if f.real_id == flavor_real_id)
        self._act(
            "resize_server",
            region,
            real_id,
            flavor_real_id,
            flavor_real_id=flavor.real_id,
            flavor_name=flavor.name,
        )
        self.memory.regions[region].awaiting_confirmation.add(real_id)

    def confirm_resize(self, region: str, real_id: str) -> None:
        self._act("confirm_resize", region, real_id)
        self.memory.regions[region].awaiting_confirmation.discard(real_id)

    def rebuild_server(self, region: str, real_id: str, image_real_id: str) -> None:
        self._act("rebuild_server", region, real_id, image_real_id, image_real_id=image_real_id)

    def create_image(self, region: str, real_id: str, name: str) -> str:
        images = self._region("create_image", region, real_id, name).images
        image_id = str(uuid.uuid4())
        images[image_id] = ImageRecord(image_id, name, "saved", "", now(), now(), real_id)
        return image_id

    def delete_image(self, region: str, real_id: str) -> None:
        images = self._region("delete_image", region, real_id).images
        if images.pop(real_id, None) is None:
            raise NotFound(f"Image {real_id} could not be found")
