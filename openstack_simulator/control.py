"""The control endpoint under ``/_sim/``: not an OpenStack API, but the way tests and
demos steer the simulator: reset it, inject faults, read the request log, and change
servers behind the client's back."""

import time
from email.message import Message
from typing import TYPE_CHECKING, Any

from openstack_simulator import lifecycle as lc
from openstack_simulator.generate import new_mac, new_uuid
from openstack_simulator.nova_common import MAX_VERSION
from openstack_simulator.nova_views import server_view
from openstack_simulator.state import Region, Server, port_addresses
from openstack_simulator.web import (
    ApiError,
    Request,
    Response,
    Router,
    Service,
    dumps,
    json_response,
    no_content,
)

if TYPE_CHECKING:
    from openstack_simulator.cloud import Cloud

router = Router()

RESETTABLE = ("servers", "seed", "regions", "projects", "delay", "max_limit", "faults")
# API statuses a server can be put in directly: (vm_state, power_state).
STATUSES = {
    "ACTIVE": (lc.ACTIVE, lc.RUNNING),
    "SHUTOFF": (lc.STOPPED, lc.SHUTDOWN),
    "PAUSED": (lc.PAUSED, lc.POWER_PAUSED),
    "SUSPENDED": (lc.SUSPENDED, lc.POWER_SUSPENDED),
    "ERROR": (lc.ERROR, lc.NOSTATE),
}


def _error_body(status: int, message: str) -> tuple[bytes, str]:
    return dumps({"error": {"code": status, "message": message}}), "application/json"


SERVICE = Service("control", router, _error_body)


def handle(
    cloud: "Cloud",
    method: str,
    path: str,
    query: dict[str, list[str]],
    body: bytes,
    host_url: str,
) -> Response:
    request = Request(method, path, query, Message(), body, host_url, host_url, cloud)
    with cloud.lock:
        cloud.tick()
        return SERVICE.respond(request, router.match(method, path))


def _body(request: Request) -> dict[str, Any]:
    body = request.json() or {}
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


def _info(cloud: "Cloud") -> dict[str, Any]:
    options = cloud.options
    return {
        "regions": list(cloud.regions),
        "servers": {name: sum(1 for _ in r.live_servers()) for name, r in cloud.regions.items()},
        "options": {
            "servers": options.servers,
            "seed": options.seed,
            "projects": options.projects,
            "max_limit": options.max_limit,
            "token_expiry": options.token_expiry,
        },
        "delay": cloud.tasks.delay,
        "pending_steps": len(cloud.tasks),
        "faults": cloud.faults.as_dict(),
    }


@router.route("GET", "/_sim/info")
def info(request: Request) -> Response:
    return json_response(_info(request.cloud))


@router.route("POST", "/_sim/reset")
def reset(request: Request) -> Response:
    """Regenerate the cloud, optionally changing some generation options."""
    overrides = _body(request)
    unknown = sorted(set(overrides) - set(RESETTABLE))
    if unknown:
        raise ApiError(400, f"cannot reset with: {', '.join(unknown)}")
    try:
        request.cloud.reset(**overrides)
    except (TypeError, ValueError) as error:
        raise ApiError(400, str(error)) from None
    return json_response(_info(request.cloud))


@router.route("GET", "/_sim/faults")
def show_faults(request: Request) -> Response:
    return json_response(request.cloud.faults.as_dict())


@router.route("POST", "/_sim/faults")
def update_faults(request: Request) -> Response:
    """Change the given fault settings, keeping the others."""
    try:
        request.cloud.faults.update(_body(request))
    except ValueError as error:
        raise ApiError(400, str(error)) from None
    return json_response(request.cloud.faults.as_dict())


@router.route("DELETE", "/_sim/faults")
def clear_faults(request: Request) -> Response:
    request.cloud.faults.clear()
    return json_response(request.cloud.faults.as_dict())


@router.route("POST", "/_sim/tokens/revoke")
def revoke_tokens(request: Request) -> Response:
    count = len(request.cloud.identity.tokens)
    request.cloud.identity.revoke_all()
    return json_response({"revoked": count})


@router.route("GET", "/_sim/requests")
def list_requests(request: Request) -> Response:
    since = request.int_arg("since", 0) or 0
    return json_response({"requests": request.cloud.log.entries(since)})


@router.route("DELETE", "/_sim/requests")
def clear_requests(request: Request) -> Response:
    request.cloud.log.clear()
    return no_content()


@router.route("PUT", "/_sim/delay")
def set_delay(request: Request) -> Response:
    """How long actions started from now on take to finish."""
    seconds = _body(request).get("seconds")
    if not isinstance(seconds, int | float) or seconds < 0:
        raise ApiError(400, "seconds must be a number >= 0")
    request.cloud.tasks.delay = float(seconds)
    return json_response({"delay": request.cloud.tasks.delay})


@router.route("POST", "/_sim/tasks/complete")
def complete_tasks(request: Request) -> Response:
    """Finish every task in progress now, whatever the delay."""
    return json_response({"completed_steps": request.cloud.tasks.run_all(time.time())})


def _view(request: Request, region: Region, server: Server) -> dict[str, Any]:
    url = f"{request.host_url}/{region.name}/compute"
    return {"region": region.name, "cell": server.cell, **server_view(server, url, MAX_VERSION)}


def _locate(request: Request, server_id: str) -> tuple[Region, Server]:
    for region in request.cloud.regions.values():
        server = region.live_server(server_id)
        if server is not None:
            return region, server
    raise ApiError(404, f"Instance {server_id} could not be found.")


@router.route("GET", "/_sim/servers")
def list_servers(request: Request) -> Response:
    """Every live server of every region, as Nova would show it, with its region and cell:
    what a test compares an inventory with."""
    views = [
        _view(request, region, server)
        for region in request.cloud.regions.values()
        for server in region.live_servers()
    ]
    return json_response({"servers": views})


@router.route("POST", "/_sim/servers")
def create_servers(request: Request) -> Response:
    """Servers that appear ACTIVE at once, as if made by another client."""
    fields = dict(_body(request))
    count = fields.pop("count", 1)
    region_name = fields.pop("region", None) or next(iter(request.cloud.regions))
    region = request.cloud.region(region_name)
    if region is None:
        raise ApiError(400, f"no region {region_name}")
    if not isinstance(count, int) or count < 1:
        raise ApiError(400, "count must be a positive integer")
    servers = [_new_server(request.cloud, region, dict(fields)) for _ in range(count)]
    return json_response({"servers": [_view(request, region, s) for s in servers]}, 201)


def _new_server(cloud: "Cloud", region: Region, fields: dict[str, Any]) -> Server:
    projects = cloud.identity.projects
    project = projects.get(fields.pop("project_id", None) or next(iter(projects)))
    if project is None:
        raise ApiError(400, "no such project")
    now = time.time()
    zone = region.zones[0]
    server = Server(
        id=new_uuid(cloud.rng),
        name=f"drift-{len(region.servers) + 1:05d}",
        project_id=project.id,
        user_id=next(iter(cloud.identity.users)),
        flavor=next(iter(region.flavors.values())),
        image_id=next(iter(region.images)),
        availability_zone=zone.name,
        host=cloud.rng.choice(zone.hosts),
        created=now,
        seq=len(region.servers) + 1,
        updated=now,
        launched_at=now,
    )
    network = next((n for n in region.networks.values() if n.project_id == project.id), None)
    if network is not None:
        server.addresses = {network.name: port_addresses(network, new_mac(cloud.rng))}
    _apply(region, server, fields)
    region.add_server(server)
    return server


_SETTABLE = {"name", "metadata", "locked", "key_name", "description", "tags", "task_state"}


def _apply(region: Region, server: Server, fields: dict[str, Any]) -> None:
    """Set server fields directly, bypassing Nova's rules; pending tasks are dropped."""
    fields = dict(fields)
    unknown = sorted(set(fields) - _SETTABLE - {"status", "flavor", "image"})
    if unknown:
        raise ApiError(400, f"cannot set: {', '.join(unknown)}")
    status = str(fields.pop("status", "")).upper()
    if status and status not in STATUSES:
        raise ApiError(400, f"status must be one of {', '.join(STATUSES)}")
    flavor = region.flavors.get(str(fields.pop("flavor", server.flavor.id)))
    if flavor is None:
        raise ApiError(400, "no such flavor")
    if status:
        server.vm_state, server.power_state = STATUSES[status]
        server.task_state = None
    server.flavor = flavor
    server.image_id = str(fields.pop("image", server.image_id) or "")
    for name, value in fields.items():
        setattr(server, name, value)
    server.epoch += 1
    server.changed(time.time())


@router.route("PATCH", "/_sim/servers/{server_id}")
def update_server(request: Request, server_id: str) -> Response:
    region, server = _locate(request, server_id)
    _apply(region, server, _body(request))
    return json_response({"server": _view(request, region, server)})


@router.route("DELETE", "/_sim/servers/{server_id}")
def delete_server(request: Request, server_id: str) -> Response:
    """Delete at once; like any deletion, changes-since still reports the server."""
    region, server = _locate(request, server_id)
    now = time.time()
    server.deleted, server.vm_state, server.power_state = True, lc.DELETED, lc.NOSTATE
    server.task_state, server.terminated_at = None, now
    server.epoch += 1
    server.changed(now)
    return json_response({"server": _view(request, region, server)})
