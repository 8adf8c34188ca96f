"""What an item's call needs besides its instance or image, one type per operation: services.py
makes it, ActionItem.parameters keeps it as JSON, and calls.py, follow.py and letters.py read
it back as attributes (ActionItem.plan). Operations that need nothing more have NO_PLAN.

The JSON keys are the camelCase of the attributes (or the `key` a field names), so the items
queued before a release are read by the next one.
"""

from dataclasses import dataclass, field, fields
from typing import ClassVar

from apps.clouds.choices import Operation


@dataclass(frozen=True)
class Plan:
    operation: ClassVar[str | None] = None

    def as_json(self) -> dict:
        return {_json_key(f): _json_value(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict):
        known = {f.name: data[_json_key(f)] for f in fields(cls) if _json_key(f) in data}
        return cls(**{name: _tuple(value) for name, value in known.items()})


NO_PLAN = Plan()


@dataclass(frozen=True)
class Launch(Plan):
    operation = Operation.ADD_INSTANCE

    flavor_real_id: str
    image_real_id: str
    network_real_ids: tuple[str, ...] = ()
    keypair_name: str | None = None
    availability_zone: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Resize(Plan):
    operation = Operation.RESIZE_INSTANCE

    flavor_id: str = field(metadata={"key": "flavor"})  # the flavor of the instance's project
    flavor_real_id: str
    confirmed: bool = False  # the resize was confirmed (so it is not confirmed twice)


@dataclass(frozen=True)
class Rebuild(Plan):
    operation = Operation.REBUILD_INSTANCE

    image_id: str = field(metadata={"key": "image"})
    image_real_id: str


@dataclass(frozen=True)
class Rename(Plan):
    operation = Operation.RENAME_INSTANCE

    new_name: str


@dataclass(frozen=True)
class Snapshot(Plan):
    operation = Operation.ADD_IMAGE

    instance_name: str  # for the letter, should it fail
    instance_id: str  # as the request gave it


_PLANS = {plan.operation: plan for plan in (Launch, Resize, Rebuild, Rename, Snapshot)}


def load(operation: str, data: dict) -> Plan:
    """The plan of an item of `operation` from its stored JSON."""
    plan = _PLANS.get(operation)
    return NO_PLAN if plan is None else plan.from_json(data)


def _json_key(f) -> str:
    if "key" in f.metadata:
        return f.metadata["key"]
    first, *rest = f.name.split("_")
    return first + "".join(part.title() for part in rest)


def _json_value(value):
    return list(value) if isinstance(value, tuple) else value


def _tuple(value):
    return tuple(value) if isinstance(value, list) else value
