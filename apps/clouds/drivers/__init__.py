"""The registry of cloud drivers, by cloud type; each declares the operations it supports."""

from typing import Protocol

from ..choices import Operation
from .base import DriverError


class Driver(Protocol):
    cloud_type: str
    operations: frozenset[Operation]


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
