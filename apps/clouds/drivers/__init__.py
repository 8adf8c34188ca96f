"""The registry of cloud drivers, by cloud type; each declares the operations it supports."""

from typing import Protocol

from ..choices import Operation


class Driver(Protocol):
    cloud_type: str
    operations: frozenset[Operation]


_DRIVERS: dict[str, type[Driver]] = {}


def register(driver: type[Driver]) -> type[Driver]:
    """Class decorator: make a driver the one for its cloud type."""
    _DRIVERS[driver.cloud_type] = driver
    return driver


def supported_operations() -> dict[str, list[str]]:
    """{cloud type: [operation names]}, as GET /operations returns it."""
    return {
        driver.cloud_type: sorted(str(operation) for operation in driver.operations)
        for driver in _DRIVERS.values()
    }
