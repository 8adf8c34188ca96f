"""Glance (image v2): versions, and listing, showing, creating and deleting images."""

import time
from typing import Any
from urllib.parse import urlencode

from openstack_simulator.generate import new_uuid
from openstack_simulator.state import Image
from openstack_simulator.timefmt import iso
from openstack_simulator.web import (
    ApiError,
    Request,
    Response,
    Router,
    Service,
    json_response,
    no_content,
    paginate,
    region_of,
    token_of,
)

router = Router()

DEFAULT_LIMIT = 25  # Glance's limit_param_default
MAX_LIMIT = 1000  # Glance's api_limit_max
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_READ_ONLY = {
    "status",
    "size",
    "virtual_size",
    "checksum",
    "os_hash_algo",
    "os_hash_value",
    "created_at",
    "updated_at",
    "self",
    "file",
    "schema",
    "direct_url",
    "locations",
}
_FILTERS = ("name", "status", "visibility", "owner", "disk_format", "container_format")


def _error_body(status: int, message: str) -> tuple[bytes, str]:
    """Glance answers errors with webob's HTML pages."""
    title = f"{status} {_TITLES.get(status, 'Error')}"
    page = (
        f"<html>\n <head>\n  <title>{title}</title>\n </head>\n <body>\n"
        f"  <h1>{title}</h1>\n  {message}<br /><br />\n\n\n\n </body>\n</html>"
    )
    return page.encode(), "text/html; charset=UTF-8"


SERVICE = Service("image", router, _error_body)


def _versions(url: str) -> dict[str, Any]:
    minors = range(16, -1, -1)
    return {
        "versions": [
            {
                "id": f"v2.{minor}",
                "status": "CURRENT" if minor == 16 else "SUPPORTED",
                "links": [{"rel": "self", "href": f"{url}/v2/"}],
            }
            for minor in minors
        ]
    }


@router.route("GET", "", public=True)
def versions_root(request: Request) -> Response:
    """Glance answers its root with 300 Multiple Choices."""
    return json_response(_versions(request.service_url), 300)


@router.route("GET", "/versions", public=True)
def versions(request: Request) -> Response:
    return json_response(_versions(request.service_url))


def image_view(image: Image) -> dict[str, Any]:
    return {
        "id": image.id,
        "name": image.name,
        "status": image.status,
        "visibility": image.visibility,
        "protected": image.protected,
        "os_hidden": image.os_hidden,
        "checksum": image.checksum,
        "os_hash_algo": "sha512" if image.os_hash_value else None,
        "os_hash_value": image.os_hash_value,
        "size": image.size,
        "virtual_size": image.virtual_size,
        "min_disk": image.min_disk,
        "min_ram": image.min_ram,
        "disk_format": image.disk_format,
        "container_format": image.container_format,
        "owner": image.owner,
        "created_at": iso(image.created_at),
        "updated_at": iso(image.updated_at),
        "tags": image.tags,
        "self": f"/v2/images/{image.id}",
        "file": f"/v2/images/{image.id}/file",
        "schema": "/v2/schemas/image",
        **image.properties,
    }


@router.route("GET", "/v2/images")
def list_images(request: Request) -> Response:
    limit = min(request.int_arg("limit", DEFAULT_LIMIT) or 0, MAX_LIMIT)
    views = [image_view(image) for image in region_of(request).images.values()]
    for name in _FILTERS:
        wanted = request.arg(name)
        if wanted is not None:
            views = [view for view in views if str(view[name]) == wanted]
    views.sort(key=lambda view: (view["created_at"], view["id"]), reverse=True)
    page = paginate(views, lambda view: view["id"], request.arg("marker"), limit)
    body: dict[str, Any] = {"images": page, "first": "/v2/images", "schema": "/v2/schemas/images"}
    if page and len(page) == limit:
        params = {key: values for key, values in request.query.items() if key != "marker"}
        params["marker"] = [page[-1]["id"]]
        body["next"] = f"/v2/images?{urlencode(params, doseq=True)}"
    return json_response(body)


def _find(request: Request, image_id: str) -> Image:
    image = region_of(request).images.get(image_id)
    if image is None:
        raise ApiError(404, f"No image found with ID {image_id}")
    return image


@router.route("GET", "/v2/images/{image_id}")
def show_image(request: Request, image_id: str) -> Response:
    return json_response(image_view(_find(request, image_id)))


@router.route("DELETE", "/v2/images/{image_id}")
def delete_image(request: Request, image_id: str) -> Response:
    image = _find(request, image_id)
    if image.protected:
        raise ApiError(403, f"Image {image_id} is protected and cannot be deleted.")
    del region_of(request).images[image.id]
    return no_content()


@router.route("POST", "/v2/images")
def create_image(request: Request) -> Response:
    body = request.json()
    if not isinstance(body, dict):
        raise ApiError(400, "Body expected in request.")
    for key in body:
        if key in _READ_ONLY:
            raise ApiError(403, f"Attribute '{key}' is read-only.")
    region = region_of(request)
    image_id = str(body.pop("id", None) or new_uuid(request.cloud.rng))
    if image_id in region.images:
        raise ApiError(409, f"Image with identifier {image_id} already exists!")
    project = token_of(request).project
    now = time.time()
    image = Image(image_id, body.pop("name", None), body.pop("owner", None) or "", now, now)
    image.owner = image.owner or (project.id if project else "")
    image.status, image.visibility = "queued", body.pop("visibility", "shared")
    image.disk_format = body.pop("disk_format", None)
    image.container_format = body.pop("container_format", None)
    image.min_disk, image.min_ram = body.pop("min_disk", 0), body.pop("min_ram", 0)
    image.protected, image.os_hidden = body.pop("protected", False), body.pop("os_hidden", False)
    image.tags = list(body.pop("tags", []))
    image.properties = body
    region.images[image.id] = image
    location = f"{request.service_url}/v2/images/{image.id}"
    return json_response(image_view(image), 201, {"Location": location})
