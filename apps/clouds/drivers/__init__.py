"""The registry of cloud drivers, by cloud type; each declares the operations it supports."""

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from ..choices import Operation
from .base import (
    DriverError,
    FlavorRecord,
    ImageRecord,
    KeypairRecord,
    NetworkRecord,
    QuotaRecord,
    ServerRecord,
    ServerSpec,
    ServerStatus,
    SubnetRecord,
    ZoneRecord,
)


class Driver(Protocol):
    """Everything sync and operations ask of a cloud, bound to one cloud. Listings and calls
    raise DriverError (base.py) and nothing else; records are the frozen ones of base.py."""

    cloud_type: str
    operations: frozenset[Operation]

    def regions(self) -> list[str]: ...

    # Listings, per region
    def servers(self, region: str, changes_since: datetime | None = None) -> Iterator[ServerRecord]:
        """Every server; with `changes_since`, those changed (or deleted) since then."""

    def server_statuses(self, region: str, changes_since: datetime) -> Iterator[ServerStatus]: ...
    def flavors(self, region: str) -> list[FlavorRecord]: ...
    def images(self, region: str) -> list[ImageRecord]: ...
    def image(self, region: str, real_id: str) -> ImageRecord: ...
    def networks(self, region: str) -> list[NetworkRecord]: ...
    def subnets(self, region: str) -> list[SubnetRecord]: ...
    def keypairs(self, region: str) -> list[KeypairRecord]: ...
    def zones(self, region: str) -> list[ZoneRecord]: ...
    def quota(self, region: str) -> QuotaRecord: ...

    # Calls, per region: each asks the cloud once and returns when it accepted
    def create_server(self, region: str, spec: ServerSpec) -> str: ...
    def delete_server(self, region: str, real_id: str) -> None: ...
    def rename_server(self, region: str, real_id: str, name: str) -> None: ...
    def reboot_server(self, region: str, real_id: str, hard: bool = False) -> None: ...
    def start_server(self, region: str, real_id: str) -> None: ...
    def stop_server(self, region: str, real_id: str) -> None: ...
    def pause_server(self, region: str, real_id: str) -> None: ...
    def unpause_server(self, region: str, real_id: str) -> None: ...
    def suspend_server(self, region: str, real_id: str) -> None: ...
    def resume_server(self, region: str, real_id: str) -> None: ...
    def resize_server(self, region: str, real_id: str, flavor_real_id: str) -> None: ...
    def confirm_resize(self, region: str, real_id: str) -> None: ...
    def rebuild_server(self, region: str, real_id: str, image_real_id: str) -> None: ...
    def create_image(self, region: str, real_id: str, name: str) -> str: ...
    def delete_image(self, region: str, real_id: str) -> None: ...


_DRIVERS: dict[str, type[Driver]] = {}


def register(driver: type[Driver]) -> type[Driver]:
    """Class decorator: make a driver the one for its cloud type."""
    _DRIVERS[driver.cloud_type] = driver
    return driver


def supported_operations(cloud_types: set[str] | None = None) -> dict[str, list[str]]:
    """{cloud type: [operation names]}, as GET /operations returns it; all types, or these."""
    return {
        driver.cloud_type: sorted(str(operation) for operation in driver.operations)
        for driver in _DRIVERS.values()
        if cloud_types is None or driver.cloud_type in cloud_types
    }


def for_cloud(cloud) -> Driver:
    """The driver of a cloud's type, bound to that cloud."""
    try:
        driver = _DRIVERS[cloud.type]
    except KeyError:
        raise DriverError(f"No driver for cloud type {cloud.type!r}") from None
    return driver(cloud)
