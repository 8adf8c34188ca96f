"""Nova's server actions: ``POST /servers/{id}/action``."""

import secrets
import time
from collections.abc import Callable
from typing import Any

from openstack_simulator import lifecycle
from openstack_simulator.generate import new_uuid
from openstack_simulator.nova_common import find_flavor, find_server, ref_id
from openstack_simulator.nova_views import server_view
from openstack_simulator.state import Image, Server
from openstack_simulator.web import (
    ApiError,
    Request,
    Response,
    Router,
    json_response,
    no_content,
    region_of,
)

router = Router()

Action = Callable[[Request, Server, Any], Response]


def _accepted() -> Response:
    return no_content(202)


def _reboot(request: Request, server: Server, args: Any) -> Response:
    kind = str(args.get("type", "")).upper() if isinstance(args, dict) else ""
    if kind not in ("SOFT", "HARD"):
        raise ApiError(400, "Invalid input for field/attribute type.")
    rule = lifecycle.RULES["reboot-hard" if kind == "HARD" else "reboot-soft"]
    lifecycle.perform(request.cloud.tasks, server, rule)
    return _accepted()


def _simple(action: str) -> Action:
    """An action with no arguments, like ``os-stop`` or ``pause``."""
    rule = lifecycle.RULES[action]

    def perform(request: Request, server: Server, args: Any) -> Response:
        lifecycle.perform(request.cloud.tasks, server, rule)
        return _accepted()

    return perform


def _resize(request: Request, server: Server, args: Any) -> Response:
    flavor = find_flavor(request, args.get("flavorRef") if isinstance(args, dict) else None)
    if flavor is None:
        raise ApiError(400, "Unable to locate requested flavor.")
    zone = region_of(request).zone(server.availability_zone)
    hosts = [host for host in (zone.hosts if zone else []) if host != server.host]
    host = request.cloud.rng.choice(hosts) if hosts else server.host
    lifecycle.resize(request.cloud.tasks, server, flavor, host)
    return _accepted()


def _confirm_resize(request: Request, server: Server, args: Any) -> Response:
    lifecycle.confirm_resize(request.cloud.tasks, server)
    return no_content()


def _revert_resize(request: Request, server: Server, args: Any) -> Response:
    lifecycle.revert_resize(request.cloud.tasks, server)
    return _accepted()


def _rebuild(request: Request, server: Server, args: Any) -> Response:
    if not isinstance(args, dict):
        raise ApiError(400, "Invalid input for field/attribute rebuild.")
    image = region_of(request).images.get(ref_id(args.get("imageRef")))
    if image is None or image.status != "active":
        raise ApiError(400, "Cannot find requested image")
    lifecycle.rebuild(request.cloud.tasks, server, image)
    server.name = str(args.get("name", server.name))
    if isinstance(args.get("metadata"), dict):
        server.metadata = {str(k): str(v) for k, v in args["metadata"].items()}
    view = server_view(server, request.service_url, request.microversion)
    view["adminPass"] = args.get("adminPass") or secrets.token_urlsafe(9)
    return json_response({"server": view}, 202)


def _create_image(request: Request, server: Server, args: Any) -> Response:
    name = args.get("name") if isinstance(args, dict) else None
    if not isinstance(name, str) or not name:
        raise ApiError(400, "Invalid input for field/attribute name.")
    metadata = args.get("metadata") or {}
    image = lifecycle.snapshot(
        request.cloud.tasks,
        server,
        lambda: _snapshot_image(request, server, name, metadata),
        server.flavor.disk * 1024**3 // 8,  # as if an eighth of the disk were in use
    )
    if request.microversion >= (2, 45):
        return json_response({"image_id": image.id}, 202)
    location = f"{request.host_url}/{region_of(request).name}/image/v2/images/{image.id}"
    return no_content(202, {"Location": location})


def _snapshot_image(request: Request, server: Server, name: str, metadata: dict[str, Any]) -> Image:
    now = time.time()
    image = Image(new_uuid(request.cloud.rng), name, server.project_id, now, now)
    image.visibility, image.size = "private", None
    image.properties = {
        **{str(k): str(v) for k, v in metadata.items()},
        "image_type": "snapshot",
        "instance_uuid": server.id,
        "base_image_ref": server.image_id,
        "user_id": server.user_id,
    }
    region_of(request).images[image.id] = image
    return image


def _lock(request: Request, server: Server, args: Any) -> Response:
    reason = args.get("locked_reason") if isinstance(args, dict) else None
    if reason is not None and request.microversion < (2, 73):
        raise ApiError(400, "Invalid input for field/attribute lock.")
    server.locked, server.locked_reason = True, reason
    server.changed(time.time())
    return _accepted()


def _unlock(request: Request, server: Server, args: Any) -> Response:
    server.locked, server.locked_reason = False, None
    server.changed(time.time())
    return _accepted()


_SIMPLE_ACTIONS = ("os-stop", "os-start", "pause", "unpause", "suspend", "resume")
ACTIONS: dict[str, Action] = {
    "reboot": _reboot,
    **{name: _simple(name) for name in _SIMPLE_ACTIONS},
    "resize": _resize,
    "confirmResize": _confirm_resize,
    "revertResize": _revert_resize,
    "rebuild": _rebuild,
    "createImage": _create_image,
    "lock": _lock,
    "unlock": _unlock,
}


@router.route("POST", "/v2.1/servers/{server_id}/action")
def server_action(request: Request, server_id: str) -> Response:
    server = find_server(request, server_id)
    body = request.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise ApiError(400, "Malformed request body")
    ((name, args),) = body.items()
    action = ACTIONS.get(name)
    if action is None:
        raise ApiError(400, f"There is no such action: {name}")
    return action(request, server, args)
