"""What every fault test checks once its fault has settled."""

from apps.operations.models import ActionItem


def assert_done_once(stack, action_id: str) -> str:
    """Every item of the batch succeeded, and the cloud accepted exactly one call for each:
    none was lost, none made twice. Returns the calls made per item, for the report."""
    items = ActionItem.objects.filter(action_id=action_id).select_related("instance")
    assert {item.status for item in items} == {"succeeded"}, [
        (item.status, item.reason) for item in items if item.status != "succeeded"
    ]
    accepted = stack.accepted_calls()
    servers = [item.instance.real_id for item in items]
    assert {server: accepted[server] for server in servers} == dict.fromkeys(servers, 1)
    calls = len(stack.action_calls())
    return f"{len(servers)} items, {calls / len(servers):.2f} calls per item, 1 accepted each"
