"""What a cloud driver returns and raises: plain records and a small set of typed errors.

Sync and actions speak only these; a driver turns its provider's API into them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta


class DriverError(Exception):
    """A cloud call failed. The message is safe to record and show: it never holds secrets.

    `retry_after`: the seconds the cloud asked to wait before trying again (its Retry-After),
    or None when it did not say.
    """

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class AuthFailed(DriverError):
    """The cloud refused the credentials."""


class NotFound(DriverError):
    """The cloud has no such resource."""


class Conflict(DriverError):
    """The cloud refused the call in the resource's current state."""


class Unavailable(DriverError):
    """The cloud (or one of its services, Keystone included) cannot be reached, times out or
    answers with a server error: worth trying again."""


class RateLimited(Unavailable):
    """The cloud asks to come back later (429)."""


TRANSIENT_ERRORS = (Unavailable,)

# A changes-since listing asks from this long before the last one started: the clocks of
# Perspective and of the cloud may disagree, and a change in flight while it listed must not
# be missed.
CHANGES_MARGIN = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class FlavorRecord:
    real_id: str
    name: str
    vcpus: int
    ram: int
    root_disk: int
    ephemeral_disk: int
    swap: int
    is_public: bool


@dataclass(frozen=True, slots=True)
class ImageRecord:
    real_id: str
    name: str
    state: str
    checksum: str
    created: datetime | None
    last_updated: datetime | None
    instance_real_id: str | None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NetworkRecord:
    real_id: str
    name: str
    state: str
    is_shared: bool


@dataclass(frozen=True, slots=True)
class SubnetRecord:
    real_id: str
    name: str
    network_real_id: str
    cidr: str
    protocol_version: int
    gateway: str
    is_dhcp_enabled: bool


@dataclass(frozen=True, slots=True)
class KeypairRecord:
    name: str
    fingerprint: str
    public_key: str


@dataclass(frozen=True, slots=True)
class ZoneRecord:
    name: str
    is_available: bool


@dataclass(frozen=True, slots=True)
class QuotaRecord:
    """{resource: (used, limit)} for the resources of apps.inventory.models.RESOURCES."""

    usage: dict[str, tuple[int | None, int | None]]


@dataclass(frozen=True, slots=True)
class ServerRecord:
    """An instance as the cloud reports it. `state` is None when the cloud reports it deleted.

    `is_partial`: the cloud could not reach the server's part of itself (a Nova cell that is
    down) and knows only that it exists: every other field is empty and is no news about it.
    """

    real_id: str
    name: str
    state: str | None
    flavor_real_id: str | None
    flavor_name: str | None
    image_real_id: str | None
    keypair_name: str | None
    availability_zone: str
    addresses: tuple[str, ...]
    network_names: tuple[str, ...]
    metadata: dict[str, str]
    is_locked: bool
    fqdn: str
    created: datetime | None
    last_updated: datetime | None
    is_partial: bool = False

    @property
    def is_deleted(self) -> bool:
        return self.state is None and not self.is_partial


@dataclass(frozen=True, slots=True)
class ServerSpec:
    """What a new server is made of, in the cloud's own ids."""

    name: str
    flavor_real_id: str
    image_real_id: str
    network_real_ids: tuple[str, ...] = ()
    keypair_name: str | None = None
    availability_zone: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """Where a server stands, as an action follows it. `state` is None once it is deleted."""

    real_id: str
    state: str | None
    awaits_confirmation: bool  # a resize waits for its confirmation (Nova's VERIFY_RESIZE)
    fault: str  # what the cloud says went wrong, when it is in error
    last_updated: datetime | None
