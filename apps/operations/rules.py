"""Nova's rules, in the inventory's states: from which states each operation may start, and
the interim state an instance shows as soon as the operation is accepted."""

from dataclasses import dataclass

from apps.clouds.choices import Operation
from apps.inventory.choices import ImageState
from apps.inventory.choices import InstanceState as State

# A task is in progress in these states: nothing else may start until it ends.
BUSY = frozenset(
    {
        State.QUEUED,
        State.LAUNCHING,
        State.REBOOTING,
        State.HARD_REBOOTING,
        State.SHUTTING_DOWN,
        State.STARTING,
        State.PAUSING,
        State.RESUMING,
        State.SUSPENDING,
        State.RESIZING,
        State.REBUILDING,
        State.MIGRATING,
        State.SNAPSHOTTING,
        State.DELETING,
    }
)
# Nova renames in any state and deletes in any state (interrupting a task); neither makes
# sense before the instance exists in the cloud or once it is being deleted.
_ANY = frozenset(State) - {State.QUEUED, State.DELETING}


@dataclass(frozen=True)
class Rule:
    verb: str  # "reboot": for reasons and letters
    allowed: frozenset[str]
    interim: str | None
    noun: str = "instance"  # what the operation acts on, for reasons


RULES = {
    Operation.ADD_INSTANCE: Rule("launch", frozenset(), State.QUEUED),
    Operation.DELETE_INSTANCE: Rule("delete", _ANY, State.DELETING),
    Operation.REBOOT_INSTANCE: Rule("reboot", frozenset({State.LAUNCHED}), State.REBOOTING),
    Operation.HARD_REBOOT_INSTANCE: Rule(
        "hard reboot",
        frozenset({State.LAUNCHED, State.SHUTOFF, State.PAUSED, State.SUSPENDED, State.ERROR}),
        State.HARD_REBOOTING,
    ),
    Operation.START_INSTANCE: Rule("start", frozenset({State.SHUTOFF}), State.STARTING),
    Operation.SHUTDOWN_INSTANCE: Rule(
        "shut down", frozenset({State.LAUNCHED, State.ERROR}), State.SHUTTING_DOWN
    ),
    Operation.PAUSE_INSTANCE: Rule("pause", frozenset({State.LAUNCHED}), State.PAUSING),
    Operation.UNPAUSE_INSTANCE: Rule("unpause", frozenset({State.PAUSED}), State.RESUMING),
    Operation.SUSPEND_INSTANCE: Rule("suspend", frozenset({State.LAUNCHED}), State.SUSPENDING),
    Operation.RESUME_INSTANCE: Rule("resume", frozenset({State.SUSPENDED}), State.RESUMING),
    Operation.RESIZE_INSTANCE: Rule(
        "resize", frozenset({State.LAUNCHED, State.SHUTOFF}), State.RESIZING
    ),
    Operation.REBUILD_INSTANCE: Rule(
        "rebuild", frozenset({State.LAUNCHED, State.SHUTOFF, State.ERROR}), State.REBUILDING
    ),
    Operation.RENAME_INSTANCE: Rule("rename", _ANY, None),
    Operation.ADD_IMAGE: Rule(
        "snapshot",
        frozenset({State.LAUNCHED, State.SHUTOFF, State.PAUSED, State.SUSPENDED}),
        State.SNAPSHOTTING,
    ),
    Operation.DELETE_IMAGE: Rule(
        "delete", frozenset(ImageState) - {ImageState.DELETING}, ImageState.DELETING, "image"
    ),
}


def concrete(operation: str, state: str) -> str:
    """The operation an instance in `state` gets: /instances/resume unpauses a paused one."""
    if operation == Operation.RESUME_INSTANCE and state == State.PAUSED:
        return Operation.UNPAUSE_INSTANCE
    return operation


UNREACHABLE = "The cloud cannot reach the instance (its Nova cell is down)"


def refusal(operation: str, state: str, is_locked: bool, unreachable: bool = False) -> str:
    """Why `operation` may not start from `state`; "" when it may."""
    rule = RULES[operation]
    if unreachable:  # what it shows may be stale, and the cloud could not act on it anyway
        return UNREACHABLE
    if is_locked and operation != Operation.RENAME_INSTANCE:
        return "The instance is locked"
    if state not in rule.allowed:
        return f"Cannot {rule.verb} an {rule.noun} in state {state}"
    return ""
