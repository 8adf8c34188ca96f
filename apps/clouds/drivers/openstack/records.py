"""OpenStack API JSON (Nova, Glance, Neutron) as the driver's plain records."""

from datetime import datetime

from ..base import (
    FlavorRecord,
    ImageRecord,
    KeypairRecord,
    NetworkRecord,
    QuotaRecord,
    ServerRecord,
    SubnetRecord,
    ZoneRecord,
)
from .states import image_state, instance_state

# Glance's own image fields; every other top-level field is a custom property (metadata).
_GLANCE_FIELDS = frozenset(
    (
        "id",
        "name",
        "status",
        "checksum",
        "created_at",
        "updated_at",
        "visibility",
        "protected",
        "owner",
        "size",
        "virtual_size",
        "min_disk",
        "min_ram",
        "disk_format",
        "container_format",
        "tags",
        "self",
        "file",
        "schema",
        "locations",
        "direct_url",
        "os_hidden",
        "os_hash_algo",
        "os_hash_value",
        "stores",
    )
)

# Nova's absolute limits as (resource, used key, limit key).
_LIMITS = (
    ("instances", "totalInstancesUsed", "maxTotalInstances"),
    ("vcpus", "totalCoresUsed", "maxTotalCores"),
    ("ram", "totalRAMUsed", "maxTotalRAMSize"),
    ("ips", "totalFloatingIpsUsed", "maxTotalFloatingIps"),
    ("security_groups", "totalSecurityGroupsUsed", "maxSecurityGroups"),
    ("keypairs", "totalKeypairsUsed", "maxTotalKeypairs"),
)


def timestamp(value: str | None) -> datetime | None:
    """Nova's and Glance's ISO 8601 times (`2026-11-26T10:00:00Z`, with or without fraction)."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def is_partial(data: dict) -> bool:
    """A server of a Nova cell that cannot be reached (from microversion 2.69): status UNKNOWN
    and only its id, project, creation time and links, never a name."""
    return data.get("status") == "UNKNOWN" and "name" not in data


def server(data: dict) -> ServerRecord:
    if is_partial(data):
        return _partial_server(data)
    flavor = data.get("flavor") or {}
    image = data.get("image") or {}
    addresses = data.get("addresses") or {}
    return ServerRecord(
        real_id=data["id"],
        name=data.get("name") or "",
        state=instance_state(data.get("status"), data.get("OS-EXT-STS:task_state")),
        # Before microversion 2.47 the flavor is a reference; from 2.47 a copy without id.
        flavor_real_id=flavor.get("id"),
        flavor_name=flavor.get("original_name"),
        image_real_id=image.get("id") if isinstance(image, dict) else None,
        keypair_name=data.get("key_name") or None,
        availability_zone=data.get("OS-EXT-AZ:availability_zone") or "",
        addresses=tuple(ip["addr"] for ips in addresses.values() for ip in ips),
        network_names=tuple(addresses),
        metadata=dict(data.get("metadata") or {}),
        is_locked=bool(data.get("locked", False)),
        fqdn=data.get("OS-EXT-SRV-ATTR:hostname") or "",
        created=timestamp(data.get("created")),
        last_updated=timestamp(data.get("updated")),
    )


def _partial_server(data: dict) -> ServerRecord:
    return ServerRecord(
        real_id=data["id"],
        name="",
        state=None,
        flavor_real_id=None,
        flavor_name=None,
        image_real_id=None,
        keypair_name=None,
        availability_zone="",
        addresses=(),
        network_names=(),
        metadata={},
        is_locked=False,
        fqdn="",
        created=timestamp(data.get("created")),
        last_updated=None,
        is_partial=True,
    )


def flavor(data: dict) -> FlavorRecord:
    return FlavorRecord(
        real_id=data["id"],
        name=data.get("name") or "",
        vcpus=data.get("vcpus") or 0,
        ram=data.get("ram") or 0,
        root_disk=data.get("disk") or 0,
        ephemeral_disk=data.get("OS-FLV-EXT-DATA:ephemeral") or 0,
        swap=data.get("swap") or 0,  # Nova says "" for no swap
        is_public=bool(data.get("os-flavor-access:is_public", True)),
    )


def image(data: dict) -> ImageRecord:
    properties = {
        key: str(value)
        for key, value in data.items()
        if key not in _GLANCE_FIELDS and value is not None
    }
    return ImageRecord(
        real_id=data["id"],
        name=data.get("name") or "",
        state=image_state(data.get("status")),
        checksum=data.get("checksum") or "",
        created=timestamp(data.get("created_at")),
        last_updated=timestamp(data.get("updated_at")),
        instance_real_id=properties.get("instance_uuid"),
        metadata=properties,
    )


def network(data: dict) -> NetworkRecord:
    return NetworkRecord(
        real_id=data["id"],
        name=data.get("name") or "",
        state=data.get("status") or "",
        is_shared=bool(data.get("shared", False)),
    )


def subnet(data: dict) -> SubnetRecord:
    return SubnetRecord(
        real_id=data["id"],
        name=data.get("name") or "",
        network_real_id=data["network_id"],
        cidr=data.get("cidr") or "",
        protocol_version=data.get("ip_version") or 4,
        gateway=data.get("gateway_ip") or "",
        is_dhcp_enabled=bool(data.get("enable_dhcp", True)),
    )


def keypair(data: dict) -> KeypairRecord:
    data = data.get("keypair", data)
    return KeypairRecord(
        name=data["name"],
        fingerprint=data.get("fingerprint") or "",
        public_key=data.get("public_key") or "",
    )


def zone(data: dict) -> ZoneRecord:
    return ZoneRecord(
        name=data["zoneName"], is_available=bool((data.get("zoneState") or {}).get("available"))
    )


def quota(absolute: dict) -> QuotaRecord:
    return QuotaRecord(
        usage={
            resource: (absolute.get(used), absolute.get(limit))
            for resource, used, limit in _LIMITS
            if used in absolute or limit in absolute
        }
    )
