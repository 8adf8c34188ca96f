"""Neutron (network v2.0): versions, networks and subnets."""

import ipaddress
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from openstack_simulator.state import Network, Subnet
from openstack_simulator.timefmt import iso
from openstack_simulator.web import (
    ApiError,
    Request,
    Response,
    Router,
    Service,
    dumps,
    json_response,
    paginate,
    region_of,
)

router = Router()

_TYPES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
}
_NOT_FILTERS = {"limit", "marker", "page_reverse", "fields", "sort_key", "sort_dir"}


def _error_body(status: int, message: str) -> tuple[bytes, str]:
    kind = _TYPES.get(status, "ServiceUnavailable" if status == 503 else "HTTPError")
    body = {"NeutronError": {"type": kind, "message": message, "detail": ""}}
    return dumps(body), "application/json"


SERVICE = Service("network", router, _error_body)


def _not_found(kind: str, item_id: str) -> ApiError:
    message = f"{kind} {item_id} could not be found."
    body = {"NeutronError": {"type": f"{kind}NotFound", "message": message, "detail": ""}}
    return ApiError(404, message, body=body)


@router.route("GET", "", public=True)
def versions(request: Request) -> Response:
    link = {"href": f"{request.service_url}/v2.0/", "rel": "self"}
    return json_response({"versions": [{"status": "CURRENT", "id": "v2.0", "links": [link]}]})


@router.route("GET", "/v2.0")
def resources(request: Request) -> Response:
    return json_response(
        {
            "resources": [
                {
                    "links": [{"href": f"{request.service_url}/v2.0/{name}s", "rel": "self"}],
                    "name": name,
                    "collection": f"{name}s",
                }
                for name in ("network", "subnet")
            ]
        }
    )


def network_view(network: Network) -> dict[str, Any]:
    return {
        "id": network.id,
        "name": network.name,
        "tenant_id": network.project_id,
        "project_id": network.project_id,
        "admin_state_up": True,
        "mtu": network.mtu,
        "status": "ACTIVE",
        "subnets": [subnet.id for subnet in network.subnets],
        "shared": network.shared,
        "router:external": network.external,
        "is_default": network.external,
        "availability_zone_hints": [],
        "availability_zones": ["nova"],
        "ipv4_address_scope": None,
        "ipv6_address_scope": None,
        "port_security_enabled": True,
        "qos_policy_id": None,
        "l2_adjacency": True,
        "description": "",
        "tags": [],
        "created_at": iso(network.created_at),
        "updated_at": iso(network.created_at),
        "revision_number": 1 + len(network.subnets),
    }


def subnet_view(subnet: Subnet) -> dict[str, Any]:
    net = ipaddress.ip_network(subnet.cidr)
    last = net.broadcast_address - 1 if subnet.ip_version == 4 else net.broadcast_address
    slaac = "slaac" if subnet.ip_version == 6 else None
    return {
        "id": subnet.id,
        "name": subnet.name,
        "tenant_id": subnet.project_id,
        "project_id": subnet.project_id,
        "network_id": subnet.network_id,
        "ip_version": subnet.ip_version,
        "cidr": subnet.cidr,
        "gateway_ip": subnet.gateway_ip,
        "allocation_pools": [{"start": str(net.network_address + 2), "end": str(last)}],
        "enable_dhcp": subnet.enable_dhcp,
        "dns_nameservers": subnet.dns_nameservers,
        "host_routes": [],
        "ipv6_ra_mode": slaac,
        "ipv6_address_mode": slaac,
        "subnetpool_id": None,
        "service_types": [],
        "description": "",
        "tags": [],
        "created_at": iso(subnet.created_at),
        "updated_at": iso(subnet.created_at),
        "revision_number": 0,
    }


def _text(value: Any) -> str:
    """A value as a filter compares it; booleans match true, True or TRUE."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _list(request: Request, collection: str, views: list[dict[str, Any]]) -> Response:
    """Neutron filters on any attribute and pages, sorted by id, only when asked to."""
    for name, wanted in request.query.items():
        if name in _NOT_FILTERS or not views or name not in views[0]:
            continue
        accepted = {w.lower() if w.lower() in ("true", "false") else w for w in wanted}
        views = [view for view in views if _text(view[name]) in accepted]
    views.sort(key=lambda view: view["id"])
    body: dict[str, Any] = {collection: views}
    limit = request.int_arg("limit")
    if limit:
        marker = request.arg("marker")
        page = paginate(views, lambda view: view["id"], marker, limit + 1)
        body[collection] = page[:limit]
        body[f"{collection}_links"] = _page_links(request, collection, page, limit, marker)
    return json_response(body)


def _page_links(
    request: Request, collection: str, page: list[dict[str, Any]], limit: int, marker: str | None
) -> list[dict[str, str]]:
    def link(rel: str, **params: str) -> dict[str, str]:
        query = {key: values for key, values in request.query.items() if key != "marker"}
        query |= {key: [value] for key, value in params.items()}
        href = f"{request.service_url}/v2.0/{collection}?{urlencode(query, doseq=True)}"
        return {"href": href, "rel": rel}

    links = []
    if len(page) > limit:
        links.append(link("next", marker=page[limit - 1]["id"]))
    if marker and page:
        links.append(link("previous", marker=page[0]["id"], page_reverse="True"))
    return links


def _show(kind: str, items: dict[str, Any], item_id: str, view: Callable[[Any], Any]) -> Response:
    item = items.get(item_id)
    if item is None:
        raise _not_found(kind, item_id)
    return json_response({kind.lower(): view(item)})


@router.route("GET", "/v2.0/networks")
def list_networks(request: Request) -> Response:
    views = [network_view(network) for network in region_of(request).networks.values()]
    return _list(request, "networks", views)


@router.route("GET", "/v2.0/networks/{network_id}")
def show_network(request: Request, network_id: str) -> Response:
    return _show("Network", region_of(request).networks, network_id, network_view)


@router.route("GET", "/v2.0/subnets")
def list_subnets(request: Request) -> Response:
    views = [subnet_view(subnet) for subnet in region_of(request).subnets.values()]
    return _list(request, "subnets", views)


@router.route("GET", "/v2.0/subnets/{subnet_id}")
def show_subnet(request: Request, subnet_id: str) -> Response:
    return _show("Subnet", region_of(request).subnets, subnet_id, subnet_view)
