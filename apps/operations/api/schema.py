"""The OpenAPI description of the batch endpoints, GET /actions/{id}, GET /notifications and
POST /notifications/acknowledge (see views.py): request bodies, the `{actionId, queued,
skipped}` answer, and the errors of each endpoint's own checks (those of authentication,
permissions and throttling are added project-wide, perspective/schema.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

from apps.clouds.choices import Operation

from ..rules import RULES
from ..services import MAX_ITEMS
from .serializers import (
    MAX_ID,
    MAX_NOTIFICATION_ID,
    ActionSerializer,
    LaunchSerializer,
    NotificationSerializer,
    SnapshotSerializer,
)


class SkippedSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="An id of the request.")
    reason = serializers.CharField(
        help_text="Why nothing is done for it, e.g. `Cannot reboot an instance in state shutoff`."
    )


class BatchOutcomeSerializer(serializers.Serializer):
    """What a batch request did at once; GET /actions/{actionId} follows the rest."""

    actionId = serializers.UUIDField()
    queued = serializers.ListField(
        child=serializers.CharField(),
        help_text="The ids queued, in the request's order; for a launch or a snapshot, the ids "
        "of the new instances or images.",
    )
    skipped = SkippedSerializer(many=True)


# No NUL character: the body reader refuses it, no database column can hold it.
STRING_ID = {"type": "string", "minLength": 1, "maxLength": MAX_ID, "pattern": "^[^\\x00]*$"}


def _ids(noun: str, item: dict = STRING_ID, example: tuple = ("id-one", "id-two")) -> dict:
    return _json(
        {
            "type": "array",
            "items": item,
            "minItems": 1,
            "maxItems": MAX_ITEMS,
            "uniqueItems": True,
            "description": f"{noun} ids, each once.",
            "example": list(example),
        }
    )


def _json(schema: dict) -> dict:
    """A request body given as a plain schema, by its media type."""
    return {"application/json": schema}


NEW_NAMES = _json(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 255},
        "minProperties": 1,
        "maxProperties": MAX_ITEMS,
        "description": "{instance id: new name}.",
        "example": {"id-one": "one-new-name", "id-two": "two-new-name"},
    }
)

BAD_IDS = (
    "Not a JSON list of distinct ids (non-empty strings), empty, or longer than "
    f"{MAX_ITEMS} ids or 1 MiB."
)
FORBIDDEN_IDS = 'Ids of projects the user may only view: "You may view but not act on ...".'
UNKNOWN_INSTANCES = 'Instances that do not exist, all named: "Instances X, Y do not exist".'


def _states(operation: str, noun: str = "An instance") -> str:
    """From which states the operation starts, and what the item shows at once (RULES)."""
    rule = RULES[operation]
    allowed = ", ".join(f"`{state}`" for state in sorted(rule.allowed))
    interim = f" and shows `{rule.interim}` at once" if rule.interim else ""
    return f"{noun} in {allowed} is queued{interim}; any other is skipped with the reason."


def batch(summary: str, body, *, states: str, errors: dict[int, str], **kwargs):
    """The annotation of a batch endpoint: `errors` are those of its own checks."""
    return extend_schema(
        summary=summary,
        description="The request is checked whole first: if it is refused, nothing is done. "
        "Then each item is queued or skipped on its own, and workers make the cloud calls. "
        + states,
        request=body,
        responses={
            200: BatchOutcomeSerializer,
            **{status: OpenApiResponse(description=text) for status, text in errors.items()},
        },
        **kwargs,
    )


# PUT /instances/reboot and the like share one view, so one description: the docs' batch actions
# page (docs/actions.md, made from rules.py) has each action's states.
ACTION_STATES = (
    "An instance is queued and shows the action's interim state at once (`rebooting`, ...), "
    "or is skipped with the reason: a state the action does not start from, a lock, a task in "
    "progress."
)
reboot_and_the_like = batch(
    "A batch action on instances",
    _ids("Instance"),
    states=ACTION_STATES,
    errors={400: BAD_IDS, 403: FORBIDDEN_IDS, 404: UNKNOWN_INSTANCES},
    methods=["PUT"],
)
delete_instances = batch(
    "Delete instances",
    _ids("Instance"),
    states=f"{_states(Operation.DELETE_INSTANCE)} Ids that do not exist are skipped too.",
    errors={400: BAD_IDS, 403: FORBIDDEN_IDS},
    methods=["POST"],
)


def _path_id(name: str, noun: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.PATH, description=f"The {noun}'s id."
    )


def _batch_to(summary: str, operation: str, target: str):
    """A batch action on instances towards a `target` (flavor, image) named in the path."""
    return batch(
        summary,
        _ids("Instance"),
        states=_states(operation),
        errors={
            400: f"{BAD_IDS} Or the {target} is of another cloud than an instance.",
            403: FORBIDDEN_IDS,
            404: f'{UNKNOWN_INSTANCES} Or "{target.capitalize()} X does not exist".',
        },
        parameters=[_path_id(f"{target}_id", target)],
    )


resize = _batch_to("Resize instances to a flavor", Operation.RESIZE_INSTANCE, "flavor")
rebuild = _batch_to("Rebuild instances from an image", Operation.REBUILD_INSTANCE, "image")
rename = batch(
    "Rename instances",
    NEW_NAMES,
    states=_states(Operation.RENAME_INSTANCE),
    errors={
        400: "Not a JSON object of instance id to new name (non-empty strings), a key given "
        f"twice, empty, or more than {MAX_ITEMS} instances or 1 MiB.",
        403: FORBIDDEN_IDS,
        404: UNKNOWN_INSTANCES,
    },
)
launch = batch(
    "Launch instances",
    LaunchSerializer(many=True, allow_empty=False, max_length=MAX_ITEMS),
    states="Each new instance gets its id (in `queued`) and shows `queued` at once, then "
    "`launching` once the cloud has it.",
    errors={
        400: "Not a list of instances in the wiki's shape (name, projectId, flavor.id and "
        "image.id required), or a flavor or network of another project, or an image of "
        "another cloud than the project.",
        403: 'Projects the user may only view: "You may view but not act on ...".',
        404: 'An unknown project, flavor, image, network or keypair: "Flavor X does not exist".',
    },
)
snapshot = batch(
    "Snapshot instances into new images",
    SnapshotSerializer(many=True, allow_empty=False, max_length=MAX_ITEMS),
    states=f"{_states(Operation.ADD_IMAGE)} Each new image's id is in `queued`.",
    errors={
        400: f"Not a list of {{name, instanceId}}, empty, or longer than {MAX_ITEMS} or 1 MiB.",
        403: FORBIDDEN_IDS,
        404: UNKNOWN_INSTANCES,
    },
)
delete_images = batch(
    "Delete images",
    _ids("Image"),
    states=f"{_states(Operation.DELETE_IMAGE, 'An image')} Ids that do not exist are skipped too.",
    errors={
        400: BAD_IDS,
        403: 'An image the user may act in no project of: "You may view but not act on ...".',
    },
)

action = extend_schema(
    summary="A batch action, with each item's status",
    responses={
        200: ActionSerializer,
        404: OpenApiResponse(
            description='Unknown, malformed or not visible: "Action X does not exist".'
        ),
    },
)

notifications = extend_schema(
    summary="Failure letters",
    description="The letters of failed items, oldest first: those written after `since` (at "
    "most 1,000), or without it the latest 1,000. Pass the last `timestamp` as the next `since`. "
    "A letter is open until it is acknowledged (POST /notifications/acknowledge).",
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            description="ISO 8601, e.g. `2026-11-26T10:00:00Z`: only letters written after it.",
        )
    ],
    responses={
        200: NotificationSerializer(many=True),
        400: OpenApiResponse(
            description="`since` is not a date and time, or `open` not `true` or `false`."
        ),
    },
)


class AcknowledgedSerializer(serializers.Serializer):
    acknowledged = serializers.IntegerField(
        help_text="How many letters this request acknowledged; ids unknown or not visible to "
        "the user, and letters already acknowledged, do not count."
    )


acknowledge = extend_schema(
    summary="Acknowledge failure letters",
    description="Acknowledges the letters: they are no longer open (`open=true` of GET "
    "/notifications, the admin's overview), and each records who acknowledged it and when. "
    "Ids that are unknown or not visible to the user are ignored, and so are letters already "
    "acknowledged (their first acknowledgement stays), so asking twice is harmless.",
    request=_ids(
        "Notification",
        item={"type": "integer", "minimum": 1, "maximum": MAX_NOTIFICATION_ID},
        example=(17, 18),
    ),
    responses={
        200: AcknowledgedSerializer,
        400: OpenApiResponse(
            description="Not a JSON list of distinct notification ids (positive integers), "
            f"empty, or longer than {MAX_ITEMS} ids or 1 MiB."
        ),
        403: OpenApiResponse(
            description="Letters of projects the user may only view: "
            '"You may view but not act on notification(s) ...".'
        ),
    },
)
