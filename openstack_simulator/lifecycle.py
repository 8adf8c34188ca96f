"""Nova's server state machine: which action is allowed in which state, the task
states it passes through, and where it ends."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from openstack_simulator.events import EventQueue
from openstack_simulator.state import Flavor, Image, ResizeSource, Server
from openstack_simulator.web import ApiError

ACTIVE = "active"
BUILDING = "building"
STOPPED = "stopped"
PAUSED = "paused"
SUSPENDED = "suspended"
RESIZED = "resized"
ERROR = "error"
DELETED = "deleted"

NOSTATE, RUNNING, POWER_PAUSED, SHUTDOWN, POWER_SUSPENDED = 0, 1, 3, 4, 7

_REBOOT = ("rebooting", "reboot_pending", "reboot_started")
_HARD_REBOOT = ("rebooting_hard", "reboot_pending_hard", "reboot_started_hard")
_REBUILD = ("rebuilding", "rebuild_block_device_mapping", "rebuild_spawning")
_RESIZE = ("resize_prep", "resize_migrating", "resize_migrated", "resize_finish")
_SNAPSHOT = ("image_snapshot", "image_pending_upload", "image_uploading")
_POWER_TASKS = ("pausing", "unpausing", "suspending", "resuming")
_BUILD = ("scheduling", "block_device_mapping", "networking", "spawning")


def _statuses(mapping: dict[tuple[str, ...], str]) -> dict[str, str]:
    return {task: status for tasks, status in mapping.items() for task in tasks}


# Nova's nova.api.openstack.common._STATE_MAP: (vm_state, task_state) -> API status.
_STATUS_MAP: dict[str, tuple[str, dict[str, str]]] = {
    ACTIVE: (
        "ACTIVE",
        _statuses(
            {_REBOOT: "REBOOT", _HARD_REBOOT: "HARD_REBOOT", _REBUILD: "REBUILD", _RESIZE: "RESIZE"}
        ),
    ),
    BUILDING: ("BUILD", {}),
    STOPPED: (
        "SHUTOFF",
        _statuses({_RESIZE: "RESIZE", _REBUILD: "REBUILD", _HARD_REBOOT: "HARD_REBOOT"}),
    ),
    RESIZED: ("VERIFY_RESIZE", {"resize_reverting": "REVERT_RESIZE"}),
    PAUSED: ("PAUSED", _statuses({_HARD_REBOOT: "HARD_REBOOT"})),
    SUSPENDED: ("SUSPENDED", _statuses({_HARD_REBOOT: "HARD_REBOOT"})),
    ERROR: ("ERROR", _statuses({_REBUILD: "REBUILD"})),
    DELETED: ("DELETED", {}),
}


def status_of(server: Server) -> str:
    default, by_task = _STATUS_MAP[server.vm_state]
    return by_task.get(server.task_state or "", default)


@dataclass(frozen=True)
class Rule:
    name: str  # the action's name in Nova's 409 message
    vm_states: frozenset[str]
    steps: tuple[str, ...]
    end_vm_state: str | None = None  # None keeps the vm_state
    end_power: int | None = None
    task_states: frozenset[str | None] = frozenset({None})


def _rule(
    name: str,
    vm_states: set[str],
    steps: tuple[str, ...],
    end_vm_state: str | None = None,
    end_power: int | None = None,
) -> Rule:
    return Rule(name, frozenset(vm_states), steps, end_vm_state, end_power)


RULES = {
    "reboot-soft": _rule("reboot", {ACTIVE}, _REBOOT, ACTIVE, RUNNING),
    "reboot-hard": Rule(
        "reboot",
        frozenset({ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR}),
        _HARD_REBOOT,
        ACTIVE,
        RUNNING,
        # Nova lets a hard reboot interrupt a stuck soft reboot or power transition.
        frozenset({None, *_REBOOT, *_HARD_REBOOT, *_POWER_TASKS}),
    ),
    "os-stop": _rule("stop", {ACTIVE, ERROR}, ("powering-off",), STOPPED, SHUTDOWN),
    "os-start": _rule("start", {STOPPED}, ("powering-on",), ACTIVE, RUNNING),
    "pause": _rule("pause", {ACTIVE}, ("pausing",), PAUSED, POWER_PAUSED),
    "unpause": _rule("unpause", {PAUSED}, ("unpausing",), ACTIVE, RUNNING),
    "suspend": _rule("suspend", {ACTIVE}, ("suspending",), SUSPENDED, POWER_SUSPENDED),
    "resume": _rule("resume", {SUSPENDED}, ("resuming",), ACTIVE, RUNNING),
    "resize": _rule("resize", {ACTIVE, STOPPED}, _RESIZE, RESIZED),
    "confirmResize": _rule("confirmResize", {RESIZED}, ()),
    "revertResize": _rule("revertResize", {RESIZED}, ("resize_reverting",)),
    "rebuild": _rule("rebuild", {ACTIVE, STOPPED, ERROR}, _REBUILD),
    "createImage": _rule("createImage", {ACTIVE, STOPPED, PAUSED, SUSPENDED}, _SNAPSHOT),
}

Change = Callable[[Server, float], None]


def check(server: Server, rule: Rule) -> None:
    """409 unless ``rule`` may run now; Nova checks the lock, then vm_state, then task_state."""
    if server.locked:
        raise ApiError(409, f"Instance {server.id} is locked")
    if server.vm_state not in rule.vm_states:
        raise _conflict(rule.name, server, "vm_state", server.vm_state)
    if server.task_state not in rule.task_states:
        raise _conflict(rule.name, server, "task_state", server.task_state)


def _conflict(action: str, server: Server, attr: str, state: str | None) -> ApiError:
    return ApiError(409, f"Cannot '{action}' instance {server.id} while it is in {attr} {state}")


def perform(tasks: EventQueue, server: Server, rule: Rule, then: Change | None = None) -> None:
    """Check ``rule`` and run it: its task states, then its end state."""
    check(server, rule)
    _start(tasks, server, rule, then)


def _start(tasks: EventQueue, server: Server, rule: Rule, then: Change | None = None) -> None:

    def finish(target: Server, at: float) -> None:
        if rule.end_vm_state:
            target.vm_state = rule.end_vm_state
        if rule.end_power is not None:
            target.power_state = rule.end_power
        if then:
            then(target, at)

    run_task(tasks, server, rule.steps, finish)


def run_task(tasks: EventQueue, server: Server, steps: tuple[str, ...], finish: Change) -> None:
    """Set the first task state now, the others spread over ``delay``, then clear it and
    ``finish``. Starting a task cancels the pending steps of the previous one."""
    now = time.time()
    server.epoch += 1
    if not steps:
        finish(server, now)
        server.changed(now)
        return
    server.task_state = steps[0]
    server.changed(now)
    for index, task in enumerate(steps[1:], start=1):
        tasks.schedule(
            now + tasks.delay * index / len(steps), _step(server, partial(_set_task, task))
        )

    def end(target: Server, at: float) -> None:
        target.task_state = None
        finish(target, at)

    tasks.schedule(now + tasks.delay, _step(server, end))


def _set_task(task: str, server: Server, at: float) -> None:
    server.task_state = task


def _step(server: Server, change: Change) -> Callable[[float], None]:
    epoch = server.epoch

    def apply(at: float) -> None:
        if server.epoch == epoch:
            change(server, at)
            server.changed(at)

    return apply


def resize(tasks: EventQueue, server: Server, flavor: Flavor, host: str) -> None:
    check(server, RULES["resize"])
    if flavor is server.flavor:
        raise ApiError(400, "When resizing, instances must change flavor!")
    source = ResizeSource(server.flavor, server.vm_state, server.host)

    def moved(target: Server, at: float) -> None:
        target.flavor, target.host, target.resize_source = flavor, host, source

    _start(tasks, server, RULES["resize"], moved)


def _source(server: Server, rule: Rule) -> ResizeSource:
    check(server, rule)
    if server.resize_source is None:
        raise ApiError(409, f"Instance {server.id} has no resize in progress")
    return server.resize_source


def confirm_resize(tasks: EventQueue, server: Server) -> None:
    source = _source(server, RULES["confirmResize"])

    def confirmed(target: Server, at: float) -> None:
        target.vm_state, target.resize_source = source.vm_state, None

    _start(tasks, server, RULES["confirmResize"], confirmed)


def revert_resize(tasks: EventQueue, server: Server) -> None:
    source = _source(server, RULES["revertResize"])

    def reverted(target: Server, at: float) -> None:
        target.flavor, target.host, target.vm_state = source.flavor, source.host, source.vm_state
        target.resize_source = None

    _start(tasks, server, RULES["revertResize"], reverted)


def rebuild(tasks: EventQueue, server: Server, image: Image) -> None:
    """Nova records the new image at once; a stopped server stays stopped."""
    check(server, RULES["rebuild"])
    end_state = STOPPED if server.vm_state == STOPPED else ACTIVE
    server.image_id = image.id

    def rebuilt(target: Server, at: float) -> None:
        target.vm_state = end_state
        target.power_state = SHUTDOWN if end_state == STOPPED else RUNNING

    _start(tasks, server, RULES["rebuild"], rebuilt)


def snapshot(tasks: EventQueue, server: Server, new_image: Callable[[], Image], size: int) -> Image:
    """Upload a server's disk to a new image, which is active once the task ends."""
    check(server, RULES["createImage"])
    image = new_image()
    image.status = "queued"

    def uploaded(target: Server, at: float) -> None:
        image.status, image.size, image.updated_at = "active", size, at

    _start(tasks, server, RULES["createImage"], uploaded)
    return image


def build(tasks: EventQueue, server: Server, then: Change) -> None:
    server.vm_state, server.power_state = BUILDING, NOSTATE

    def built(target: Server, at: float) -> None:
        target.vm_state, target.power_state, target.launched_at = ACTIVE, RUNNING, at
        then(target, at)

    run_task(tasks, server, _BUILD, built)


def delete(tasks: EventQueue, server: Server) -> None:
    """Nova deletes in any state, interrupting a running task, unless the server is locked."""
    if server.locked:
        raise ApiError(409, f"Instance {server.id} is locked")

    def deleted(target: Server, at: float) -> None:
        target.deleted, target.vm_state, target.power_state = True, DELETED, NOSTATE
        target.terminated_at = at

    run_task(tasks, server, ("deleting",), deleted)
