"""Nova's JSON views of servers and flavors, as each microversion shapes them."""

import hashlib
import re
from typing import Any
from urllib.parse import urlencode

from openstack_simulator.lifecycle import status_of
from openstack_simulator.state import Flavor, Server
from openstack_simulator.timefmt import iso, iso_micro
from openstack_simulator.web import Request, dumps

Version = tuple[int, int]

_PROGRESS_STATUSES = {"ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"}


def links(url: str, collection: str, item_id: str) -> list[dict[str, str]]:
    return [
        {"rel": "self", "href": f"{url}/v2.1/{collection}/{item_id}"},
        {"rel": "bookmark", "href": f"{url}/{collection}/{item_id}"},
    ]


def next_links(request: Request, path: str, marker: str) -> list[dict[str, str]]:
    """A ``*_links`` list pointing at the page after ``marker``, as Nova builds it."""
    params = {key: values for key, values in request.query.items() if key != "marker"}
    params["marker"] = [marker]
    query = urlencode(params, doseq=True)
    return [{"rel": "next", "href": f"{request.service_url}/v2.1/{path}?{query}"}]


def server_json(server: Server, request: Request) -> bytes:
    """The server's view, cached until it changes or another endpoint or version asks."""
    key = (request.service_url, request.microversion)
    if server.cache is None or server.cache_key != key:
        server.cache = dumps(server_view(server, *key))
        server.cache_key = key
    return server.cache


def server_brief(server: Server, url: str) -> dict[str, Any]:
    return {"id": server.id, "name": server.name, "links": links(url, "servers", server.id)}


def server_partial(server: Server, url: str, *, detail: bool) -> dict[str, Any]:
    """What a listing says of a server in a cell that is down (from 2.69): its id, status
    UNKNOWN and links, and in detail also its project and creation time. Nothing else."""
    view: dict[str, Any] = {"id": server.id, "status": "UNKNOWN"}
    if detail:
        view |= {"tenant_id": server.project_id, "created": iso(server.created)}
    return {**view, "links": links(url, "servers", server.id)}


def server_partial_show(server: Server, url: str, version: Version) -> dict[str, Any]:
    """What showing a server in a cell that is down says (from 2.69): a little more, kept in
    Nova's API database."""
    view = server_partial(server, url, detail=True) | {
        "user_id": server.user_id,
        "image": _image_ref(server, url),
        "flavor": flavor_ref(server.flavor, url, version),
        "OS-EXT-AZ:availability_zone": server.availability_zone,
        "OS-EXT-STS:power_state": 0,
    }
    if version >= (2, 71):
        view["server_groups"] = []
    return view


def server_view(server: Server, url: str, version: Version) -> dict[str, Any]:
    status = status_of(server)
    view: dict[str, Any] = {
        **server_brief(server, url),
        "status": status,
        "tenant_id": server.project_id,
        "user_id": server.user_id,
        "metadata": server.metadata,
        "hostId": _host_id(server),
        "image": _image_ref(server, url),
        "flavor": flavor_ref(server.flavor, url, version),
        "created": iso(server.created),
        "updated": iso(server.updated),
        "addresses": server.addresses,
        "accessIPv4": server.access_ipv4,
        "accessIPv6": server.access_ipv6,
        "OS-DCF:diskConfig": server.disk_config,
        "OS-EXT-AZ:availability_zone": server.availability_zone,
        "config_drive": "",
        "key_name": server.key_name,
        "OS-SRV-USG:launched_at": _micro(server.launched_at),
        "OS-SRV-USG:terminated_at": _micro(server.terminated_at),
        "OS-EXT-SRV-ATTR:host": server.host or None,
        "OS-EXT-SRV-ATTR:instance_name": f"instance-{server.seq:08x}",
        "OS-EXT-SRV-ATTR:hypervisor_hostname": f"{server.host}.cloud.example"
        if server.host
        else None,
        "OS-EXT-STS:task_state": server.task_state,
        "OS-EXT-STS:vm_state": server.vm_state,
        "OS-EXT-STS:power_state": server.power_state,
        "os-extended-volumes:volumes_attached": _volumes(server, version),
        "security_groups": [{"name": "default"}],
    }
    if status in _PROGRESS_STATUSES:
        view["progress"] = 0
    if server.fault and status == "ERROR":
        view["fault"] = {**server.fault, "created": iso(server.fault["created"])}
    view.update(_microversion_fields(server, version))
    return view


def _microversion_fields(server: Server, version: Version) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if version >= (2, 3):
        fields["OS-EXT-SRV-ATTR:reservation_id"] = f"r-{server.id[:8]}"
        fields["OS-EXT-SRV-ATTR:launch_index"] = 0
        fields["OS-EXT-SRV-ATTR:hostname"] = re.sub(r"[^a-z0-9-]+", "-", server.name.lower())
        fields["OS-EXT-SRV-ATTR:kernel_id"] = ""
        fields["OS-EXT-SRV-ATTR:ramdisk_id"] = ""
        fields["OS-EXT-SRV-ATTR:root_device_name"] = "/dev/vda"
        fields["OS-EXT-SRV-ATTR:user_data"] = None
    if version >= (2, 9):
        fields["locked"] = server.locked
    if version >= (2, 16):
        fields["host_status"] = "UP" if server.host else ""
    if version >= (2, 19):
        fields["description"] = server.description
    if version >= (2, 26):
        fields["tags"] = server.tags
    if version >= (2, 63):
        fields["trusted_image_certificates"] = None
    if version >= (2, 73):
        fields["locked_reason"] = server.locked_reason
    if version >= (2, 96):
        fields["pinned_availability_zone"] = None
    return fields


def _micro(ts: float | None) -> str | None:
    return iso_micro(ts) if ts is not None else None


def _host_id(server: Server) -> str:
    """Nova's hostId: a per-project hash of the host, so projects cannot map the cloud."""
    if not server.host:
        return ""
    return hashlib.sha224((server.project_id + server.host).encode()).hexdigest()


def _image_ref(server: Server, url: str) -> dict[str, Any] | str:
    if not server.image_id:
        return ""  # booted from a volume
    href = f"{url}/images/{server.image_id}"
    return {"id": server.image_id, "links": [{"rel": "bookmark", "href": href}]}


def _volumes(server: Server, version: Version) -> list[dict[str, Any]]:
    if version >= (2, 3):
        return [{"id": volume, "delete_on_termination": False} for volume in server.volumes]
    return [{"id": volume} for volume in server.volumes]


def flavor_ref(flavor: Flavor, url: str, version: Version) -> dict[str, Any]:
    """A server's flavor: a link before 2.47, then the flavor's details, without an id."""
    if version < (2, 47):
        href = f"{url}/flavors/{flavor.id}"
        return {"id": flavor.id, "links": [{"rel": "bookmark", "href": href}]}
    return {
        "vcpus": flavor.vcpus,
        "ram": flavor.ram,
        "disk": flavor.disk,
        "ephemeral": flavor.ephemeral,
        "swap": flavor.swap,
        "original_name": flavor.name,
        "extra_specs": flavor.extra_specs,
    }


def flavor_brief(flavor: Flavor, url: str, version: Version) -> dict[str, Any]:
    view = {"id": flavor.id, "name": flavor.name, "links": links(url, "flavors", flavor.id)}
    if version >= (2, 55):
        view["description"] = flavor.description
    return view


def flavor_view(flavor: Flavor, url: str, version: Version) -> dict[str, Any]:
    view = {
        **flavor_brief(flavor, url, version),
        "ram": flavor.ram,
        "disk": flavor.disk,
        # Before 2.75 Nova shows no swap as "".
        "swap": flavor.swap if version >= (2, 75) else (flavor.swap or ""),
        "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral,
        "OS-FLV-DISABLED:disabled": False,
        "vcpus": flavor.vcpus,
        "os-flavor-access:is_public": flavor.is_public,
        "rxtx_factor": 1.0,
    }
    if version >= (2, 61):
        view["extra_specs"] = flavor.extra_specs
    return view
