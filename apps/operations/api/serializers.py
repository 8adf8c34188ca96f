"""The bodies of the batch endpoints, checked whole before anything happens, and the shapes of
actions and notifications on the wire."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.clouds.choices import Operation
from apps.inventory.api.fields import WireDateTimeField
from apps.inventory.api.serializers import WireSerializer
from apps.jsonapi.ids import parse_id

from ..choices import ItemStatus
from ..services import MAX_ITEMS

MAX_ID = 255


def _is_text(value, max_length: int = MAX_ID) -> bool:
    return isinstance(value, str) and 0 < len(value) <= max_length


class IdListField(serializers.Field):
    """A JSON list of distinct ids. An id that spells a UUID (upper case, braces, `urn:uuid:`,
    no dashes) is read as that UUID, so that two spellings of one id are one id given twice."""

    default_error_messages = {
        "null": "Expected a JSON list of ids",
        "not_a_list": "Expected a JSON list of ids",
        "empty": "The list of ids is empty",
        "too_many": f"At most {MAX_ITEMS} ids in one request",
        "not_ids": f"Ids are non-empty strings of at most {MAX_ID} characters; not {{bad}}",
        "duplicates": "Ids appear more than once: {ids}",
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if not data:
            self.fail("empty")
        if len(data) > MAX_ITEMS:
            self.fail("too_many")
        bad = [value for value in data if not self.is_id(value)]
        if bad:
            self.fail("not_ids", bad=_shown(bad))
        ids = [self.canonical(value) for value in data]
        twice = _repeated(ids, data)
        if twice:
            self.fail("duplicates", ids=_shown(twice, show=str))
        return ids

    def is_id(self, value) -> bool:
        return _is_text(value)

    def canonical(self, value):
        return canonical_id(value)


def canonical_id(text: str) -> str:
    """The UUID's usual spelling when `text` spells one; `text` itself otherwise."""
    parsed = parse_id(text)
    return str(parsed) if parsed else text


def _repeated(ids: list, spellings: list) -> list[str]:
    """Each id given more than once, shown with the spellings it came in when they differ."""
    given = {}
    for value, spelling in zip(ids, spellings, strict=True):
        given.setdefault(value, []).append(spelling)
    return [_spelt(value, spelt) for value, spelt in given.items() if len(spelt) > 1]


def _spelt(value, spellings: list) -> str:
    distinct = list(dict.fromkeys(spellings))
    if len(distinct) == 1:
        return repr(value)
    return f"{value!r} (as {', '.join(map(repr, distinct))})"


MAX_NOTIFICATION_ID = 2**63 - 1  # a bigint's largest


class NotificationIdListField(IdListField):
    """A JSON list of distinct notification ids: the integers of GET /notifications."""

    default_error_messages = {"not_ids": "Notification ids are positive integers; not {bad}"}

    def is_id(self, value) -> bool:
        return type(value) is int and 0 < value <= MAX_NOTIFICATION_ID  # not a bool

    def canonical(self, value):
        return value


class NameMapField(serializers.Field):
    """A JSON object of instance id -> new name. Any key is an id: one that names no instance
    (the empty one, say) is refused as unknown (404), as in the other batches."""

    default_error_messages = {
        "null": "Expected a JSON object of instance id to new name",
        "not_a_map": "Expected a JSON object of instance id to new name",
        "empty": "The map of new names is empty",
        "too_many": f"At most {MAX_ITEMS} instances in one request",
        "not_names": "New names are non-empty strings of at most 255 characters; not {bad}",
        "duplicates": "Instances appear more than once: {ids}",
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_a_map")
        if not data:
            self.fail("empty")
        if len(data) > MAX_ITEMS:
            self.fail("too_many")
        bad_names = [value for value in data.values() if not _is_text(value)]
        if bad_names:
            self.fail("not_names", bad=_shown(bad_names))
        ids = [canonical_id(key) for key in data]
        twice = _repeated(ids, list(data))
        if twice:
            self.fail("duplicates", ids=_shown(twice, show=str))
        return dict(zip(ids, data.values(), strict=True))


def _shown(values: list, most: int = 5, show=repr) -> str:
    shown = ", ".join(show(value) for value in values[:most])
    return shown + (f" and {len(values) - most} more" if len(values) > most else "")


class StrictCharField(serializers.CharField):
    """Text only: a number or a boolean is not quietly turned into a string."""

    default_error_messages = {"invalid": "Not a string."}

    def __init__(self, **kwargs):
        if not kwargs.get("allow_blank"):
            kwargs.setdefault("min_length", 1)  # so says the schema, as DRF refuses a blank
        # Taken as sent, as the schema's string: " " is not quietly made "" and then refused.
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RefSerializer(serializers.Serializer):
    id = StrictCharField(max_length=MAX_ID)


class KeypairRefSerializer(serializers.Serializer):
    name = StrictCharField(max_length=255, required=False)


class EntrySerializer(serializers.Serializer):
    key = StrictCharField(max_length=255)
    value = StrictCharField(allow_blank=True)


class MetadataSerializer(serializers.Serializer):
    entry = EntrySerializer(many=True)

    def validate_entry(self, entries):
        keys = [entry["key"] for entry in entries]
        if len(set(keys)) < len(keys):
            raise serializers.ValidationError("Keys appear more than once.")
        return entries


class LaunchSerializer(serializers.Serializer):
    """An instance to launch, in the wiki's instance shape (other fields are ignored)."""

    name = StrictCharField(max_length=255)
    projectId = StrictCharField(max_length=MAX_ID)
    flavor = RefSerializer()
    image = RefSerializer()
    networks = RefSerializer(many=True, required=False)
    keypair = KeypairRefSerializer(required=False)
    availabilityZone = StrictCharField(max_length=255, required=False)
    metadata = MetadataSerializer(required=False)

    def validate(self, data):
        """The spec as the services take it: metadata as a dict, no keypair when empty."""
        metadata = data.pop("metadata", {"entry": []})
        data["metadata"] = {entry["key"]: entry["value"] for entry in metadata["entry"]}
        if not data.get("keypair", {}).get("name"):
            data.pop("keypair", None)
        return data


class SnapshotSerializer(serializers.Serializer):
    name = StrictCharField(max_length=255)
    instanceId = StrictCharField(max_length=MAX_ID)


def many(serializer_class, data, noun: str) -> list[dict]:
    """Validates a JSON list of objects; errors name the position of the object at fault."""
    if not isinstance(data, list):
        raise serializers.ValidationError(f"Expected a JSON list of {noun}s")
    if not data:
        raise serializers.ValidationError(f"The list of {noun}s is empty")
    if len(data) > MAX_ITEMS:
        raise serializers.ValidationError(f"At most {MAX_ITEMS} {noun}s in one request")
    valid = []
    for position, item in enumerate(data):
        serializer = serializer_class(data=item)
        if not serializer.is_valid():
            raise serializers.ValidationError(f"{noun} {position}: {_sentence(serializer.errors)}")
        valid.append(serializer.validated_data)
    return valid


def _sentence(errors) -> str:
    """DRF's nested errors as `flavor: id: Not a string.` (without `non_field_errors`)."""
    if isinstance(errors, dict):
        return "; ".join(
            _sentence(value) if key == "non_field_errors" else f"{key}: {_sentence(value)}"
            for key, value in errors.items()
        )
    if isinstance(errors, list):
        return " ".join(_sentence(error) for error in errors if error)
    return str(errors)


# Responses ------------------------------------------------------------------------------


class ActionItemSerializer(WireSerializer):
    id = serializers.CharField(source="target_id")
    name = serializers.CharField(required=False)
    operation = serializers.ChoiceField(choices=Operation.choices)
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    reason = serializers.CharField(required=False)
    attempts = serializers.IntegerField()
    startedAt = WireDateTimeField(source="started_at", required=False)
    acceptedAt = WireDateTimeField(source="accepted_at", required=False)
    finishedAt = WireDateTimeField(source="finished_at", required=False)


class ActionSerializer(WireSerializer):
    id = serializers.UUIDField()
    operation = serializers.ChoiceField(choices=Operation.choices)
    requestedBy = serializers.CharField(source="requested_by.get_username", default=None)
    requestedAt = WireDateTimeField(source="requested_at")
    parameters = serializers.JSONField(help_text="The request's, e.g. flavorId for a resize.")
    counts = serializers.SerializerMethodField(help_text="{item status: number of items}.")
    items = ActionItemSerializer(many=True)

    def get_counts(self, action) -> dict[str, int]:
        counts = {}
        for item in action.items.all():
            counts[item.status] = counts.get(item.status, 0) + 1
        return counts


class NotificationSerializer(WireSerializer):
    id = serializers.IntegerField()
    # To the microsecond, so that a client can ask for what came since the last one it saw.
    timestamp = WireDateTimeField(source="created_at", timespec="microseconds")
    message = serializers.CharField()
    actionId = serializers.UUIDField(source="action_id", required=False)


class ActionSummarySerializer(ActionSerializer):
    """An action in GET /api/actions/: GET /actions/{id}'s shape without the items (a batch
    may have thousands); `counts` from the `<status>_items` annotations of `with_item_counts`."""

    items = None

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, action):
        counts = {status.value: getattr(action, f"{status}_items") for status in ItemStatus}
        return {status: count for status, count in counts.items() if count}
