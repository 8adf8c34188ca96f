"""Lookups and microversion negotiation shared by the Nova handlers."""

import re
from email.message import Message

from openstack_simulator.state import Flavor, Server
from openstack_simulator.web import ApiError, Request, region_of

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 96)


def version_text(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def negotiate(headers: Message) -> tuple[int, int]:
    """The microversion a request asks for; 2.1 when it asks for none."""
    raw = _requested(headers)
    if raw is None:
        return MIN_VERSION
    if raw.lower() == "latest":
        return MAX_VERSION
    parsed = re.fullmatch(r"(\d+)\.(\d+)", raw)
    if not parsed:
        raise ApiError(
            400,
            f"API Version String {raw} is of invalid format. Must be of format MajorNum.MinorNum.",
        )
    version = (int(parsed[1]), int(parsed[2]))
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise ApiError(
            406,
            f"Version {raw} is not supported by the API. Minimum is "
            f"{version_text(MIN_VERSION)} and maximum is {version_text(MAX_VERSION)}.",
        )
    return version


def _requested(headers: Message) -> str | None:
    for value in headers.get_all("OpenStack-API-Version") or []:
        for item in value.split(","):
            service, _, version = item.strip().partition(" ")
            if service.lower() == "compute":
                return version.strip()
    return headers.get("X-OpenStack-Nova-API-Version")


def version_headers(version: tuple[int, int]) -> dict[str, str]:
    text = version_text(version)
    return {
        "OpenStack-API-Version": f"compute {text}",
        "X-OpenStack-Nova-API-Version": text,
        "Vary": "OpenStack-API-Version, X-OpenStack-Nova-API-Version",
    }


# From this microversion Nova lists the servers of a cell it cannot reach as partial records.
PARTIAL_RECORDS = (2, 69)


def find_server(request: Request, server_id: str, *, reachable: bool = True) -> Server:
    """The live server; with `reachable`, 503 when its cell is down (nothing can be done to
    it then)."""
    server = region_of(request).live_server(server_id)
    if server is None:
        raise ApiError(404, f"Instance {server_id} could not be found.")
    if reachable and in_down_cell(request, server):
        raise ApiError(503, f"The cell of instance {server_id} cannot be reached.")
    return server


def in_down_cell(request: Request, server: Server) -> bool:
    return server.cell in request.cloud.faults.cells_down()


def ref_id(ref: object) -> str:
    """The id in a ``flavorRef`` or ``imageRef``, which may be a URL."""
    return str(ref or "").rstrip("/").rsplit("/", 1)[-1]


def find_flavor(request: Request, ref: object) -> Flavor | None:
    return region_of(request).flavors.get(ref_id(ref))
