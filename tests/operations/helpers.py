"""What the batch-action tests look at: instances by state, their ids and states, the items'
statuses, the calls the simulator received."""

from apps.inventory.models import Instance
from apps.operations import attempts
from apps.operations.models import ActionItem
from apps.operations.pacing import CallSlots


def instances(count: int, state: str = "launched", **filters) -> list[Instance]:
    """Unlocked instances of the synced cloud in `state`."""
    found = list(Instance.objects.filter(state=state, is_locked=False, **filters)[:count])
    assert len(found) == count, f"the simulator has fewer than {count} {state} instances"
    return found


def ids(found: list[Instance]) -> list[str]:
    return [str(instance.id) for instance in found]


def states(found: list[Instance]) -> set[str]:
    pks = [instance.id for instance in found]
    return set(Instance.objects.filter(id__in=pks).values_list("state", flat=True))


def statuses(response) -> set[str]:
    """The statuses of the items of the response's action."""
    items = ActionItem.objects.filter(action_id=response.json()["actionId"])
    return set(items.values_list("status", flat=True))


def action_calls(simulator, found: list[Instance]) -> int:
    """How many server actions the simulator received for these instances."""
    paths = tuple(f"/v2.1/servers/{instance.real_id}/action" for instance in found)
    return sum(
        1
        for request in simulator.control.requests()
        if request["method"] == "POST" and request["path"].endswith(paths)
    )


def carry_out(item_id: str, attempts_before: int = 0) -> attempts.ItemResult:
    """What a message for the item (after that many attempts) does, as a worker runs it."""
    with CallSlots() as slots:
        return attempts.carry_out(attempts.load([item_id]).get(item_id), attempts_before, slots)
