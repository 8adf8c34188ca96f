"""The resources of one simulated region (one Nova, Glance and Neutron)."""

import ipaddress
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Flavor:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int = 0
    swap: int = 0
    extra_specs: dict[str, str] = field(default_factory=dict)
    is_public: bool = True
    description: str | None = None


@dataclass(eq=False)
class Image:
    id: str
    name: str
    owner: str
    created_at: float
    updated_at: float
    status: str = "active"
    visibility: str = "public"
    size: int | None = None
    virtual_size: int | None = None
    min_disk: int = 0
    min_ram: int = 0
    disk_format: str | None = "qcow2"
    container_format: str | None = "bare"
    protected: bool = False
    os_hidden: bool = False
    checksum: str | None = None
    os_hash_value: str | None = None
    tags: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Subnet:
    id: str
    name: str
    network_id: str
    project_id: str
    cidr: str
    created_at: float
    enable_dhcp: bool = True
    dns_nameservers: list[str] = field(default_factory=list)
    allocated: int = 0

    def __post_init__(self) -> None:
        net = ipaddress.ip_network(self.cidr)
        self.ip_version = net.version
        self.gateway_ip = str(net.network_address + 1)
        # Hosts start after the gateway; the last address is kept out (broadcast in IPv4).
        self._first = int(net.network_address) + 2
        self._usable = net.num_addresses - 3

    def allocate(self) -> str:
        """The next address; wraps around in a full subnet, as a simulator may."""
        value = self._first + self.allocated % self._usable
        self.allocated += 1
        if self.ip_version == 4:  # formatted by hand: ipaddress is slow for 100,000s
            return f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"
        return str(ipaddress.IPv6Address(value))


@dataclass(eq=False)
class Network:
    id: str
    name: str
    project_id: str
    created_at: float
    subnets: list[Subnet] = field(default_factory=list)
    shared: bool = False
    external: bool = False
    mtu: int = 1450


@dataclass(eq=False)
class Keypair:
    name: str
    public_key: str
    fingerprint: str
    user_id: str
    created_at: float
    type: str = "ssh"


@dataclass(eq=False)
class Zone:
    name: str
    hosts: list[str]


@dataclass(frozen=True)
class ResizeSource:
    """What a revertResize restores."""

    flavor: Flavor
    vm_state: str
    host: str


# Nova's cells: servers are spread over them by creation order, and a cell can be down.
CELLS = ("cell1", "cell2")


@dataclass(eq=False, slots=True)
class Server:
    id: str
    name: str
    project_id: str
    user_id: str
    flavor: Flavor
    image_id: str  # "" when booted from a volume
    availability_zone: str
    host: str
    created: float
    seq: int
    vm_state: str = "active"
    task_state: str | None = None
    power_state: int = 1
    updated: float = 0.0
    launched_at: float | None = None
    terminated_at: float | None = None
    deleted: bool = False
    locked: bool = False
    locked_reason: str | None = None
    key_name: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    addresses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    volumes: list[str] = field(default_factory=list)
    access_ipv4: str = ""
    access_ipv6: str = ""
    disk_config: str = "MANUAL"
    fault: dict[str, Any] | None = None
    resize_source: ResizeSource | None = None
    # Bumped to cancel the pending steps of an interrupted task.
    epoch: int = 0
    # The JSON of the last view served, and the (endpoint, microversion) it was made for.
    cache_key: tuple[str, tuple[int, int]] | None = None
    cache: bytes | None = None
    # The change log of its region, which it joins on each change.
    changes: "ChangeLog | None" = None

    @property
    def cell(self) -> str:
        return CELLS[self.seq % len(CELLS)]

    def changed(self, now: float) -> None:
        self.updated = now
        self.cache = None
        if self.changes is not None:
            self.changes.record(self)


class ChangeLog:
    """The servers of a region stamped at runtime, in order of their last change, so that a
    changes-since listing reads only them (Nova has an index on updated_at).

    Generated servers, stamped before the log was opened, stay out of it until they change:
    ``settled`` is the newest of their stamps, so only a later ``since`` can be answered
    here. Stamps may arrive out of order (a task step is stamped when it fell due), so each
    entry keeps the newest stamp recorded so far: every entry before it is no newer."""

    def __init__(self) -> None:
        self.opened = time.time()
        self.settled = -math.inf
        self._newest = -math.inf
        self._entries: dict[str, tuple[float, Server]] = {}

    def add(self, server: Server) -> None:
        server.changes = self
        if server.updated < self.opened:
            self.settled = max(self.settled, server.updated)
        else:
            self.record(server)

    def record(self, server: Server) -> None:
        self._newest = max(self._newest, server.updated)
        self._entries.pop(server.id, None)
        self._entries[server.id] = (self._newest, server)

    def since(self, since: float) -> list[Server] | None:
        """The servers that may have been stamped at ``since`` or later (a superset), or None
        when generated servers may be among them."""
        if since <= self.settled:
            return None
        found = []
        for newest, server in reversed(self._entries.values()):
            if newest < since:
                break
            found.append(server)
        return found


def port_addresses(network: Network, mac: str, kind: str = "fixed") -> list[dict[str, Any]]:
    """The ``addresses`` entries of one port: an address on each subnet of the network."""
    return [address(subnet, mac, kind) for subnet in network.subnets]


def address(subnet: Subnet, mac: str, kind: str = "fixed") -> dict[str, Any]:
    return {
        "version": subnet.ip_version,
        "addr": subnet.allocate(),
        "OS-EXT-IPS:type": kind,
        "OS-EXT-IPS-MAC:mac_addr": mac,
    }


class Region:
    """One region's resources. Servers are kept in creation order, deleted ones included
    (Nova soft-deletes, and changes-since reports them), with an index for markers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.flavors: dict[str, Flavor] = {}
        self.images: dict[str, Image] = {}
        self.networks: dict[str, Network] = {}
        self.subnets: dict[str, Subnet] = {}
        self.keypairs: dict[str, Keypair] = {}
        self.zones: list[Zone] = []
        self.quotas: dict[str, dict[str, int]] = {}
        self.servers: dict[str, Server] = {}
        self._order: list[Server] = []
        self._position: dict[str, int] = {}
        self.changes = ChangeLog()

    def add_server(self, server: Server) -> None:
        self.servers[server.id] = server
        self._position[server.id] = len(self._order)
        self._order.append(server)
        self.changes.add(server)

    def live_server(self, server_id: str) -> Server | None:
        server = self.servers.get(server_id)
        return None if server is None or server.deleted else server

    def newest_first(
        self,
        keep: Callable[[Server], bool],
        marker: str | None,
        limit: int,
        since: float | None = None,
    ) -> list[Server]:
        """Up to ``limit`` servers that ``keep`` accepts, newest first, after ``marker``.
        With ``since``, ``keep`` must reject the servers changed before it: the candidates
        may then come from the change log alone.

        Raises KeyError for an unknown marker."""
        end = self._position[marker] if marker else len(self._order)
        changed = None if since is None else self.changes.since(since)
        if changed is None:
            return self._scan(keep, end, limit)
        position = self._position
        page = [server for server in changed if position[server.id] < end and keep(server)]
        page.sort(key=lambda server: position[server.id], reverse=True)
        return page[:limit]

    def _scan(self, keep: Callable[[Server], bool], end: int, limit: int) -> list[Server]:
        """Up to ``limit`` servers that ``keep`` accepts, from position ``end`` backwards."""
        page: list[Server] = []
        order = self._order
        for index in range(end - 1, -1, -1):
            if len(page) >= limit:
                break
            server = order[index]
            if keep(server):
                page.append(server)
        return page

    def live_servers(self) -> Iterator[Server]:
        return (server for server in self._order if not server.deleted)

    def zone(self, name: str) -> Zone | None:
        return next((zone for zone in self.zones if zone.name == name), None)
