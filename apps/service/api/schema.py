"""The OpenAPI description of /ping, /version and /operations (see views.py)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from apps.clouds.choices import Operation


class PingSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="`ok`")


class PingFailedSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="`unavailable`")
    failed = serializers.DictField(
        child=serializers.CharField(),
        help_text='`{part: "does not answer"}` for each part that does not answer: '
        "`database`, `broker` (what went wrong is in the server's log).",
    )


def _health_check(summary: str, description: str):
    return extend_schema(
        summary=summary,
        description=f"{description} Needs no credentials; answered whatever the `Host`.",
        responses={
            200: PingSerializer,
            503: OpenApiResponse(
                PingFailedSerializer, description="A part does not answer (with `Retry-After`)."
            ),
        },
    )


ping = _health_check(
    "Health check of every part", "Whether the database and the message broker answer."
)
live = _health_check(
    "Health check for load balancers",
    "Whether this process can serve reads: the database answers. The broker is not asked: "
    "while it is down, batch actions and syncs wait, but reads still work.",
)

operations = extend_schema(
    summary="Operations each cloud type supports",
    description="{cloud type: [operation names]}, for the types of the clouds the user sees, "
    "as their drivers declare them.",
    responses={
        200: {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "string", "enum": Operation.values},
            },
            "example": {"openstack": ["addImage", "addInstance", "deleteImage", "deleteInstance"]},
        }
    },
)

VERSION = {
    "get": {
        "operationId": "version_retrieve",
        "summary": "The version of Perspective",
        "description": "As plain text; with `Accept: application/json`, JSON that also names "
        "the database and its release. Needs no credentials.",
        "tags": ["version"],
        "responses": {
            "200": {
                "description": "",
                "content": {
                    "text/plain": {"schema": {"type": "string", "example": "0.1.0"}},
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "version": {"type": "string", "example": "0.1.0"},
                                "database": {"type": "string", "example": "SQLite 3.51.1"},
                            },
                            "required": ["version", "database"],
                        }
                    },
                },
            }
        },
    }
}


def add_version(result, generator, request, public):
    """A postprocessing hook: /version is a plain Django view (text/plain unless JSON is asked
    for, no authentication), which drf-spectacular does not see."""
    result["paths"] = dict(sorted({**result["paths"], "/version": VERSION}.items()))
    return result


FIRST_ID = "$response.body#/results/0/id"
# (listing, operation id the first row's id leads to, its parameter): OpenAPI links, which
# clients and Schemathesis's stateful phase follow from a listing to what its ids open.
LINKS = [
    ("/api/instances/", "instances_retrieve", "id"),
    ("/api/images/", "images_retrieve", "id"),
    ("/api/images/", "instances_rebuild_update", "image_id"),
    ("/api/flavors/", "instances_resize_update", "flavor_id"),
    ("/api/actions/", "actions_retrieve", "id"),
    ("/api/clouds/", "api_clouds_sync_create", "name"),
]
# (listing, batch operation id): the first row's id as the batch's list of ids.
BODY_LINKS = [
    ("/api/instances/", operation)
    for operation in (
        "instances_reboot_update",
        "instances_hard_reboot_update",
        "instances_start_update",
        "instances_shutdown_update",
        "instances_pause_update",
        "instances_resume_update",
        "instances_suspend_update",
        "instances_delete_create",
    )
] + [("/api/images/", "images_delete_create")]


def add_links(result, generator, request, public):
    """A postprocessing hook: the links from each listing to the operations its ids open."""
    for listing, operation, parameter in LINKS:
        _link(result, listing, operation, {"parameters": {parameter: FIRST_ID}})
    for listing, operation in BODY_LINKS:
        _link(result, listing, operation, {"requestBody": [f"{{{FIRST_ID}}}"]})
    return result


def _link(result, listing: str, operation: str, link: dict) -> None:
    ok = result["paths"][listing]["get"]["responses"]["200"]
    ok.setdefault("links", {})[operation] = {"operationId": operation, **link}
