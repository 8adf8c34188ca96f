"""Nova's flavors, keypairs, availability zones, limits and quota sets."""

import base64
import binascii
import hashlib
import time
import zlib
from typing import Any

from openstack_simulator.generate import DEFAULT_QUOTA
from openstack_simulator.nova_views import flavor_brief, flavor_view, next_links
from openstack_simulator.state import Keypair, Region
from openstack_simulator.timefmt import iso_micro
from openstack_simulator.web import (
    ApiError,
    Request,
    Response,
    Router,
    json_response,
    no_content,
    paginate,
    region_of,
    token_of,
)

router = Router()


def _flavors_page(request: Request, path: str) -> tuple[list[Any], dict[str, Any]]:
    max_limit = request.cloud.options.max_limit
    limit = min(request.int_arg("limit", max_limit) or 0, max_limit)
    flavors = sorted(region_of(request).flavors.values(), key=lambda f: f.id)
    page = paginate(flavors, lambda f: f.id, request.arg("marker"), limit)
    extra = {}
    if page and len(page) == limit:
        extra["flavors_links"] = next_links(request, path, page[-1].id)
    return page, extra


@router.route("GET", "/v2.1/flavors/detail")
def list_flavors_detail(request: Request) -> Response:
    page, extra = _flavors_page(request, "flavors/detail")
    views = [flavor_view(f, request.service_url, request.microversion) for f in page]
    return json_response({"flavors": views, **extra})


@router.route("GET", "/v2.1/flavors")
def list_flavors(request: Request) -> Response:
    page, extra = _flavors_page(request, "flavors")
    views = [flavor_brief(f, request.service_url, request.microversion) for f in page]
    return json_response({"flavors": views, **extra})


@router.route("GET", "/v2.1/flavors/{flavor_id}")
def show_flavor(request: Request, flavor_id: str) -> Response:
    flavor = region_of(request).flavors.get(flavor_id)
    if flavor is None:
        raise ApiError(404, f"Flavor {flavor_id} could not be found.")
    view = flavor_view(flavor, request.service_url, request.microversion)
    return json_response({"flavor": view})


def _keypair_view(keypair: Keypair, request: Request, detail: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "name": keypair.name,
        "public_key": keypair.public_key,
        "fingerprint": keypair.fingerprint,
    }
    if request.microversion >= (2, 2):
        view["type"] = keypair.type
    if detail:
        view |= {
            "user_id": keypair.user_id,
            "id": zlib.crc32(keypair.name.encode()),
            "created_at": iso_micro(keypair.created_at),
            "deleted": False,
            "deleted_at": None,
            "updated_at": None,
        }
    return view


def _keypair_owner(request: Request) -> str:
    """The token's user; from 2.10 an admin may name another with ``user_id``."""
    requested = request.arg("user_id") if request.microversion >= (2, 10) else None
    return requested or token_of(request).user.id


@router.route("GET", "/v2.1/os-keypairs")
def list_keypairs(request: Request) -> Response:
    owner = _keypair_owner(request)
    keypairs = [k for k in region_of(request).keypairs.values() if k.user_id == owner]
    body: dict[str, Any] = {}
    if request.microversion >= (2, 35) and "limit" in request.query:
        limit = request.int_arg("limit") or 0
        keypairs = paginate(keypairs, lambda k: k.name, request.arg("marker"), limit)
        if keypairs and len(keypairs) == limit:
            body["keypairs_links"] = next_links(request, "os-keypairs", keypairs[-1].name)
    body["keypairs"] = [{"keypair": _keypair_view(k, request)} for k in keypairs]
    return json_response(body)


def _find_keypair(request: Request, name: str) -> Keypair:
    owner = _keypair_owner(request)
    keypair = region_of(request).keypairs.get(name)
    if keypair is None or keypair.user_id != owner:
        raise ApiError(404, f"Keypair {name} not found for user {owner}")
    return keypair


@router.route("GET", "/v2.1/os-keypairs/{name}")
def show_keypair(request: Request, name: str) -> Response:
    keypair = _find_keypair(request, name)
    return json_response({"keypair": _keypair_view(keypair, request, detail=True)})


@router.route("POST", "/v2.1/os-keypairs")
def create_keypair(request: Request) -> Response:
    body = request.json_object("keypair")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(400, "Keypair data is invalid: Keypair name must be string")
    region = region_of(request)
    if name in region.keypairs:
        raise ApiError(409, f"Key pair '{name}' already exists.")
    public_key = body.get("public_key")
    if not public_key:
        raise ApiError(400, "Keypair data is invalid: a public_key is required")
    keypair = Keypair(
        name,
        str(public_key),
        _fingerprint(str(public_key)),
        token_of(request).user.id,
        time.time(),
        str(body.get("type", "ssh")),
    )
    region.keypairs[name] = keypair
    view = _keypair_view(keypair, request) | {"user_id": keypair.user_id}
    return json_response({"keypair": view}, 201 if request.microversion >= (2, 2) else 200)


def _fingerprint(public_key: str) -> str:
    """Nova's fingerprint of an SSH public key: the MD5 of its decoded body."""
    parts = public_key.split()
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (IndexError, binascii.Error):
        raise ApiError(400, "Keypair data is invalid: failed to generate fingerprint") from None
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


@router.route("DELETE", "/v2.1/os-keypairs/{name}")
def delete_keypair(request: Request, name: str) -> Response:
    keypair = _find_keypair(request, name)
    del region_of(request).keypairs[keypair.name]
    return no_content(204 if request.microversion >= (2, 2) else 202)


@router.route("GET", "/v2.1/os-availability-zone")
def list_zones(request: Request) -> Response:
    zones = [
        {"zoneName": zone.name, "zoneState": {"available": True}, "hosts": None}
        for zone in region_of(request).zones
    ]
    return json_response({"availabilityZoneInfo": zones})


@router.route("GET", "/v2.1/os-availability-zone/detail")
def list_zones_detail(request: Request) -> Response:
    status = {"available": True, "active": True, "updated_at": iso_micro(time.time())}
    region = region_of(request)
    controllers = {
        f"controller-{region.name.lower()}": dict.fromkeys(
            ("nova-conductor", "nova-scheduler"), status
        )
    }
    zones = [{"zoneName": "internal", "zoneState": {"available": True}, "hosts": controllers}]
    for zone in region.zones:
        hosts = {host: {"nova-compute": status} for host in zone.hosts}
        zones.append({"zoneName": zone.name, "zoneState": {"available": True}, "hosts": hosts})
    return json_response({"availabilityZoneInfo": zones})


# Microversions that dropped quota items: networking ones at 2.36, file injection at 2.57.
_DROPPED = {
    (2, 36): ("fixed_ips", "floating_ips", "security_groups", "security_group_rules"),
    (2, 57): ("injected_files", "injected_file_content_bytes", "injected_file_path_bytes"),
}


def _quota(region: Region, project_id: str, version: tuple[int, int]) -> dict[str, int]:
    return _for_version(region.quotas.get(project_id, DEFAULT_QUOTA), version)


def _for_version(quota: dict[str, int], version: tuple[int, int]) -> dict[str, int]:
    quota = dict(quota)
    for since, names in _DROPPED.items():
        if version >= since:
            for name in names:
                quota.pop(name)
    return quota


def _usage(region: Region, project_id: str, user_id: str) -> dict[str, int]:
    servers = [s for s in region.live_servers() if s.project_id == project_id]
    return {
        "instances": len(servers),
        "cores": sum(s.flavor.vcpus for s in servers),
        "ram": sum(s.flavor.ram for s in servers),
        "key_pairs": sum(1 for k in region.keypairs.values() if k.user_id == user_id),
    }


@router.route("GET", "/v2.1/limits")
def show_limits(request: Request) -> Response:
    token = token_of(request)
    project_id = request.arg("tenant_id") or (token.project.id if token.project else "")
    region = region_of(request)
    quota = _quota(region, project_id, request.microversion)
    used = _usage(region, project_id, token.user.id)
    absolute = {
        "maxServerMeta": quota["metadata_items"],
        "maxImageMeta": quota["metadata_items"],
        "maxTotalKeypairs": quota["key_pairs"],
        "maxServerGroups": quota["server_groups"],
        "maxServerGroupMembers": quota["server_group_members"],
        "maxTotalCores": quota["cores"],
        "maxTotalInstances": quota["instances"],
        "maxTotalRAMSize": quota["ram"],
        "totalCoresUsed": used["cores"],
        "totalInstancesUsed": used["instances"],
        "totalRAMUsed": used["ram"],
        "totalServerGroupsUsed": 0,
    }
    if request.microversion < (2, 36):
        absolute |= {
            "maxSecurityGroups": quota["security_groups"],
            "maxSecurityGroupRules": quota["security_group_rules"],
            "maxTotalFloatingIps": quota["floating_ips"],
            "totalSecurityGroupsUsed": 0,
            "totalFloatingIpsUsed": 0,
        }
    if request.microversion < (2, 57):
        absolute |= {"maxPersonality": 5, "maxPersonalitySize": 10240}
    return json_response({"limits": {"absolute": absolute, "rate": []}})


@router.route("GET", "/v2.1/os-quota-sets/{project_id}")
def show_quota_set(request: Request, project_id: str) -> Response:
    usage = request.arg("usage", "false").lower() in ("1", "true", "yes")
    return _quota_set(request, project_id, usage)


@router.route("GET", "/v2.1/os-quota-sets/{project_id}/detail")
def show_quota_set_detail(request: Request, project_id: str) -> Response:
    return _quota_set(request, project_id, usage=True)


@router.route("GET", "/v2.1/os-quota-sets/{project_id}/defaults")
def show_quota_defaults(request: Request, project_id: str) -> Response:
    quota = _for_version(DEFAULT_QUOTA, request.microversion)
    return json_response({"quota_set": {"id": project_id, **quota}})


def _quota_set(request: Request, project_id: str, usage: bool) -> Response:
    region = region_of(request)
    quota: dict[str, Any] = _quota(region, project_id, request.microversion)
    if usage:
        used = _usage(region, project_id, token_of(request).user.id)
        quota = {
            name: {"in_use": used.get(name, 0), "limit": limit, "reserved": 0}
            for name, limit in quota.items()
        }
    return json_response({"quota_set": {"id": project_id, **quota}})
