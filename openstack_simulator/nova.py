"""Nova (compute v2.1): version documents, microversions and servers."""

import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from openstack_simulator import lifecycle, nova_actions, nova_resources
from openstack_simulator.generate import new_mac, new_uuid
from openstack_simulator.nova_common import (
    MAX_VERSION,
    MIN_VERSION,
    PARTIAL_RECORDS,
    find_flavor,
    find_server,
    in_down_cell,
    negotiate,
    ref_id,
    version_headers,
    version_text,
)
from openstack_simulator.nova_views import (
    links,
    next_links,
    server_brief,
    server_json,
    server_partial,
    server_partial_show,
)
from openstack_simulator.state import Network, Region, Server, Zone, port_addresses
from openstack_simulator.timefmt import parse
from openstack_simulator.web import (
    ApiError,
    Match,
    Request,
    Response,
    Router,
    Service,
    dumps,
    json_response,
    no_content,
    region_of,
    token_of,
)

router = Router()
router.routes += nova_actions.router.routes + nova_resources.router.routes

_FAULT_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}


def _error_body(status: int, message: str) -> tuple[bytes, str]:
    name = _FAULT_NAMES.get(status, "computeFault")
    return dumps({name: {"code": status, "message": message}}), "application/json"


def _handle(request: Request, match: Match) -> Response:
    """Negotiate the microversion of every versioned call and echo it in the response."""
    if match.public:
        return router.dispatch(match, request)
    request.microversion = negotiate(request.headers)
    try:
        response = router.dispatch(match, request)
    except ApiError as error:
        response = SERVICE.error(error)
    response.headers.update(version_headers(request.microversion))
    return response


SERVICE = Service("compute", router, _error_body, _handle)


def _version_document(url: str) -> dict[str, Any]:
    return {
        "id": "v2.1",
        "status": "CURRENT",
        "version": version_text(MAX_VERSION),
        "min_version": version_text(MIN_VERSION),
        "updated": "2013-07-23T11:33:21Z",
        "links": [
            {"rel": "self", "href": f"{url}/v2.1/"},
            {"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"},
        ],
        "media-types": [
            {
                "base": "application/json",
                "type": "application/vnd.openstack.compute+json;version=2.1",
            }
        ],
    }


@router.route("GET", "", public=True)
def versions(request: Request) -> Response:
    return json_response({"versions": [_version_document(request.service_url)]})


@router.route("GET", "/v2.1", public=True)
def version(request: Request) -> Response:
    return json_response({"version": _version_document(request.service_url)})


@router.route("GET", "/v2.1/servers/detail")
def list_servers_detail(request: Request) -> Response:
    page, more = _servers_page(request)
    body = b'{"servers":[' + b",".join(_detail_json(s, request) for s in page) + b"]"
    return Response(200, body + _links_json(request, "servers/detail", page, more) + b"}")


@router.route("GET", "/v2.1/servers")
def list_servers(request: Request) -> Response:
    page, more = _servers_page(request)
    url = request.service_url
    views = [
        server_partial(s, url, detail=False) if in_down_cell(request, s) else server_brief(s, url)
        for s in page
    ]
    body = dumps({"servers": views})[:-1]
    return Response(200, body + _links_json(request, "servers", page, more) + b"}")


def _detail_json(server: Server, request: Request) -> bytes:
    if in_down_cell(request, server):
        return dumps(server_partial(server, request.service_url, detail=True))
    return server_json(server, request)


def _servers_page(request: Request) -> tuple[list[Server], bool]:
    """A page of servers, and whether it is full: Nova then links to a next page."""
    max_limit = request.cloud.options.max_limit
    limit = min(request.int_arg("limit", max_limit) or 0, max_limit)
    marker = request.arg("marker")
    since = _time_arg(request, "changes-since")
    keep = _reachable(request, _server_filter(request, since))
    try:
        page = region_of(request).newest_first(keep, marker, limit, since)
    except KeyError:
        raise ApiError(400, f"marker [{marker}] not found") from None
    return page, bool(page) and len(page) == limit


def _links_json(request: Request, path: str, page: list[Server], more: bool) -> bytes:
    if not more:
        return b""
    return b',"servers_links":' + dumps(next_links(request, path, page[-1].id))


Check = Callable[[Server], bool]


def _reachable(request: Request, keep: Check) -> Check:
    """Nova lists the servers of a down cell as partial records only when it is asked from
    microversion 2.69 for a listing with no paging, sorting or filter (but all_tenants): it
    cannot tell whether they would match. Otherwise it leaves them out, as Nova does by
    default (list_records_by_skipping_down_cells)."""
    down = request.cloud.faults.cells_down()
    if not down:
        return keep
    plain = not set(request.query) - {"all_tenants"}
    if request.microversion >= PARTIAL_RECORDS and plain:
        return keep
    return lambda server: server.cell not in down and keep(server)


def _server_filter(request: Request, since: float | None) -> Check:
    before = _time_arg(request, "changes-before") if request.microversion >= (2, 66) else None
    statuses = {value.upper() for value in request.query.get("status", [])}
    checks: list[Check] = []
    # As in Nova, asking for changes also reports the servers deleted meanwhile.
    if since is None and before is None and "DELETED" not in statuses:
        checks.append(lambda s: not s.deleted)
    if since is not None:
        checks.append(lambda s: s.updated >= since)
    if before is not None:
        checks.append(lambda s: s.updated <= before)
    if statuses:
        checks.append(lambda s: lifecycle.status_of(s) in statuses)
    project_id = _project_filter(request)
    if project_id:
        checks.append(lambda s: s.project_id == project_id)
    checks += _field_checks(request)
    if len(checks) == 1:
        return checks[0]
    return lambda server: all(check(server) for check in checks)


def _time_arg(request: Request, name: str) -> float | None:
    value = request.arg(name)
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError:
        raise ApiError(400, f"Invalid filter field: {name}.") from None


def _project_filter(request: Request) -> str | None:
    """Nova lists the token's project unless an admin asks for all_tenants; only then is
    the project_id (or tenant_id) filter honoured."""
    all_tenants = request.arg("all_tenants")
    if all_tenants is not None and all_tenants.lower() not in ("0", "false", "no", "off"):
        return request.arg("project_id") or request.arg("tenant_id")
    project = token_of(request).project
    return project.id if project else None


_FIELDS: dict[str, Callable[[Server], Any]] = {
    "flavor": lambda s: s.flavor.id,
    "image": lambda s: s.image_id,
    "host": lambda s: s.host,
    "availability_zone": lambda s: s.availability_zone,
    "user_id": lambda s: s.user_id,
    "key_name": lambda s: s.key_name,
}


def _field_checks(request: Request) -> list[Check]:
    checks: list[Check] = []
    for name, field in _FIELDS.items():
        wanted = request.arg(name)
        if wanted is not None:
            checks.append(lambda s, field=field, wanted=wanted: field(s) == wanted)
    name_pattern = request.arg("name")
    if name_pattern:
        try:
            pattern = re.compile(name_pattern)
        except re.error:
            raise ApiError(400, f"Invalid regular expression: {name_pattern}") from None
        checks.append(lambda s: pattern.search(s.name) is not None)
    return checks


@router.route("GET", "/v2.1/servers/{server_id}")
def show_server(request: Request, server_id: str) -> Response:
    partial = request.microversion >= PARTIAL_RECORDS
    server = find_server(request, server_id, reachable=not partial)
    if in_down_cell(request, server):
        view = server_partial_show(server, request.service_url, request.microversion)
        return json_response({"server": view})
    return Response(200, b'{"server":' + server_json(server, request) + b"}")


@router.route("PUT", "/v2.1/servers/{server_id}")
def update_server(request: Request, server_id: str) -> Response:
    server = find_server(request, server_id)
    changes = request.json_object("server")
    allowed = {"name", "accessIPv4", "accessIPv6"}
    if request.microversion >= (2, 19):
        allowed.add("description")
    unexpected = sorted(set(changes) - allowed)
    if unexpected:
        raise ApiError(
            400, f"Additional properties are not allowed ({unexpected[0]!r} was unexpected)"
        )
    server.name = str(changes.get("name", server.name))
    server.access_ipv4 = str(changes.get("accessIPv4", server.access_ipv4))
    server.access_ipv6 = str(changes.get("accessIPv6", server.access_ipv6))
    server.description = changes.get("description", server.description)
    server.changed(time.time())
    return Response(200, b'{"server":' + server_json(server, request) + b"}")


@router.route("DELETE", "/v2.1/servers/{server_id}")
def delete_server(request: Request, server_id: str) -> Response:
    lifecycle.delete(request.cloud.tasks, find_server(request, server_id))
    return no_content()


@router.route("POST", "/v2.1/servers")
def create_server(request: Request) -> Response:
    region = region_of(request)
    token = token_of(request)
    body = request.json_object("server")
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 255:
        raise ApiError(400, "Invalid input for field/attribute name.")
    flavor = find_flavor(request, body.get("flavorRef"))
    if flavor is None:
        raise ApiError(400, f"Flavor {ref_id(body.get('flavorRef'))} could not be found.")
    metadata = body.get("metadata", {})
    if not isinstance(metadata, dict):
        raise ApiError(400, "Invalid input for field/attribute metadata.")
    networks = _requested_networks(request, body.get("networks"))
    image_id = _boot_image(request, body)
    zone = _zone(region, body.get("availability_zone"))
    rng = request.cloud.rng
    now = time.time()
    server = Server(
        id=new_uuid(rng),
        name=name,
        project_id=token.project.id if token.project else "",
        user_id=token.user.id,
        flavor=flavor,
        image_id=image_id,
        availability_zone=zone.name,
        host=rng.choice(zone.hosts),
        created=now,
        seq=len(region.servers) + 1,
        updated=now,
        key_name=_key_name(region, body.get("key_name")),
        metadata={str(k): str(v) for k, v in metadata.items()},
        volumes=[] if image_id else [new_uuid(rng)],
        disk_config=str(body.get("OS-DCF:diskConfig", "MANUAL")),
    )
    region.add_server(server)
    lifecycle.build(request.cloud.tasks, server, _wire(request, networks))
    return _created(request, server)


def _created(request: Request, server: Server) -> Response:
    view = {
        "id": server.id,
        "links": links(request.service_url, "servers", server.id),
        "OS-DCF:diskConfig": server.disk_config,
        "security_groups": [{"name": "default"}],
        "adminPass": secrets.token_urlsafe(9),
    }
    location = f"{request.service_url}/v2.1/servers/{server.id}"
    return json_response({"server": view}, 202, {"Location": location})


def _wire(request: Request, networks: list[Network]) -> lifecycle.Change:
    rng = request.cloud.rng

    def plug(server: Server, at: float) -> None:
        server.addresses = {net.name: port_addresses(net, new_mac(rng)) for net in networks}

    return plug


def _boot_image(request: Request, body: dict[str, Any]) -> str:
    """The image id, or "" for a server booted from a volume."""
    mappings = body.get("block_device_mapping_v2") or []
    from_volume = any(
        str(m.get("boot_index")) == "0" and m.get("destination_type") == "volume"
        for m in mappings
        if isinstance(m, dict)
    )
    if from_volume:
        return ""
    image = region_of(request).images.get(ref_id(body.get("imageRef")))
    if image is None or image.status != "active":
        raise ApiError(400, "Can not find requested image")
    return image.id


def _zone(region: Region, name: object) -> Zone:
    zone = region.zones[0] if name is None else region.zone(str(name))
    if zone is None:
        raise ApiError(400, "The requested availability zone is not available")
    return zone


def _key_name(region: Region, name: object) -> str | None:
    if name is not None and name not in region.keypairs:
        raise ApiError(400, "Invalid key_name provided.")
    return None if name is None else str(name)


def _requested_networks(request: Request, requested: object) -> list[Network]:
    """Nova's networks: "none", "auto" (the project's first network), or a list of uuids;
    the list is required from 2.37."""
    region = region_of(request)
    if requested is None and request.microversion >= (2, 37):
        raise ApiError(400, "Invalid input for field/attribute networks.")
    if requested == "none":
        return []
    if requested is None or requested == "auto":
        return _project_networks(request, region)[:1]
    if not isinstance(requested, list):
        raise ApiError(400, "Invalid input for field/attribute networks.")
    networks = []
    for item in requested:
        network_id = item.get("uuid") if isinstance(item, dict) else None
        network = region.networks.get(str(network_id))
        if network is None:
            raise ApiError(400, f"Network {network_id} could not be found.")
        networks.append(network)
    return networks


def _project_networks(request: Request, region: Region) -> list[Network]:
    project = token_of(request).project
    own = [n for n in region.networks.values() if project and n.project_id == project.id]
    return own or [n for n in region.networks.values() if n.shared]
