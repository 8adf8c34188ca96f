"""What each operation asks of the cloud's driver, what the inventory records once the cloud
has accepted it, and how a call that a dead worker may have made is recognised as made."""

from django.db import transaction

from apps.clouds.choices import Operation
from apps.clouds.drivers import Driver
from apps.clouds.drivers.base import ServerSpec
from apps.history.choices import EXISTS, PRESENT
from apps.history.record import record
from apps.inventory.choices import ImageState, InstanceState
from apps.inventory.models import Image, Instance

from . import changes
from .models import ActionItem


def _server(item: ActionItem) -> str:
    return item.instance.real_id


def _spec(item: ActionItem) -> ServerSpec:
    plan = item.plan
    return ServerSpec(
        name=item.name,
        flavor_real_id=plan.flavor_real_id,
        image_real_id=plan.image_real_id,
        network_real_ids=plan.network_real_ids,
        keypair_name=plan.keypair_name,
        availability_zone=plan.availability_zone,
        metadata=plan.metadata,
    )


def _on_server(method: str, **options):
    """A call of the driver's `method` on the item's server."""

    def call(driver: Driver, region: str, item: ActionItem):
        return getattr(driver, method)(region, _server(item), **options)

    return call


_CALLS = {
    Operation.ADD_INSTANCE: lambda driver, region, item: driver.create_server(region, _spec(item)),
    Operation.DELETE_INSTANCE: _on_server("delete_server"),
    Operation.REBOOT_INSTANCE: _on_server("reboot_server"),
    Operation.HARD_REBOOT_INSTANCE: _on_server("reboot_server", hard=True),
    Operation.START_INSTANCE: _on_server("start_server"),
    Operation.SHUTDOWN_INSTANCE: _on_server("stop_server"),
    Operation.PAUSE_INSTANCE: _on_server("pause_server"),
    Operation.UNPAUSE_INSTANCE: _on_server("unpause_server"),
    Operation.SUSPEND_INSTANCE: _on_server("suspend_server"),
    Operation.RESUME_INSTANCE: _on_server("resume_server"),
    Operation.RESIZE_INSTANCE: lambda driver, region, item: driver.resize_server(
        region, _server(item), item.plan.flavor_real_id
    ),
    Operation.REBUILD_INSTANCE: lambda driver, region, item: driver.rebuild_server(
        region, _server(item), item.plan.image_real_id
    ),
    Operation.RENAME_INSTANCE: lambda driver, region, item: driver.rename_server(
        region, _server(item), item.plan.new_name
    ),
    Operation.ADD_IMAGE: lambda driver, region, item: driver.create_image(
        region, _server(item), item.name
    ),
    Operation.DELETE_IMAGE: lambda driver, region, item: driver.delete_image(
        region, item.image.real_id
    ),
}


def call(driver: Driver, region: str, item: ActionItem):
    """Makes the item's call; returns the new server's or image's id for a launch or snapshot."""
    return _CALLS[item.operation](driver, region, item)


def record_accepted(item: ActionItem, new_id: str | None) -> bool:
    """Records what the accepted call changed; True when the instance must now be followed
    to its end state, False when the item is done."""
    operation = item.operation
    if operation == Operation.ADD_INSTANCE:
        _take_new_id(Instance, item.instance_id, item.cloud_id, new_id, InstanceState.LAUNCHING)
        old = item.instance.state if item.instance else None
        record([changes.instance_change(item, "state", old, InstanceState.LAUNCHING)])
    elif operation == Operation.ADD_IMAGE:
        _take_new_id(Image, item.image_id, item.cloud_id, new_id, ImageState.SAVING)
    elif operation == Operation.RENAME_INSTANCE:
        new_name = item.plan.new_name
        if Instance.objects.filter(pk=item.instance_id).update(name=new_name):
            old_name = item.instance.name if item.instance else item.name
            change = changes.instance_change(item, "name", old_name, new_name, name=new_name)
            record([change])
        return False
    elif operation == Operation.DELETE_IMAGE:
        forget(item)
        return False
    return True


def forget(item: ActionItem) -> None:
    """Removes a deleted instance or image from the inventory."""
    model = Image if item.operation == Operation.DELETE_IMAGE else Instance
    target = item.image_id if model is Image else item.instance_id
    _, deleted = model.objects.filter(pk=target).delete()
    if deleted.get(model._meta.label):
        record([changes.target_change(item, EXISTS, PRESENT, None)])


@transaction.atomic
def _take_new_id(model, pk, cloud_id, real_id: str, state: str) -> None:
    """Stores the cloud's id of the new server (or image) on the row the request created."""
    # A sync that listed it first made a row of its own; the client holds the id of ours.
    model.objects.filter(cloud_id=cloud_id, real_id=real_id).exclude(pk=pk).delete()
    model.objects.filter(pk=pk).update(real_id=real_id, state=state)


def made_before(driver: Driver, region: str, item: ActionItem) -> tuple[bool, str | None]:
    """Whether the call of an interrupted attempt reached the cloud: (made, new id).

    Deletes and renames are simply made again: doing them twice changes nothing.
    """
    # Nova and Glance stamp changes in whole seconds.
    since = item.started_at.replace(microsecond=0)
    operation = item.operation
    made = {Operation.ADD_INSTANCE: item.instance, Operation.ADD_IMAGE: item.image}.get(operation)
    if made and made.real_id:  # the worker died after recording it
        return True, made.real_id
    if operation == Operation.ADD_INSTANCE:
        return _unclaimed(_servers_made(driver, region, item, since), operation)
    if operation == Operation.ADD_IMAGE:
        return _unclaimed(_images_made(driver, region, item, since), operation)
    if operation in (Operation.DELETE_INSTANCE, Operation.RENAME_INSTANCE, Operation.DELETE_IMAGE):
        return False, None
    server_id = _server(item)
    changed = any(s.real_id == server_id for s in driver.server_statuses(region, since))
    return changed, None


def _servers_made(driver: Driver, region: str, item: ActionItem, since) -> list[str]:
    """The servers of the item's name created since then."""
    return [
        server.real_id
        for server in driver.servers(region, changes_since=since)
        if server.name == item.name and server.created and server.created >= since
    ]


def _images_made(driver: Driver, region: str, item: ActionItem, since) -> list[str]:
    """The images of the item's name made of its server since then."""
    server_id = _server(item)
    return [
        image.real_id
        for image in driver.images(region)
        if image.name == item.name
        and image.instance_real_id == server_id
        and image.created
        and image.created >= since
    ]


def _unclaimed(real_ids: list[str], operation: str) -> tuple[bool, str | None]:
    """The first of the new `real_ids` that no other launch (or snapshot) has taken, as made
    before: a batch may launch several instances of the same name."""
    model, field = (
        (Instance, "instance") if operation == Operation.ADD_INSTANCE else (Image, "image")
    )
    made_by_actions = ActionItem.objects.filter(operation=operation).values(field)
    taken = set(
        model.objects.filter(real_id__in=real_ids, pk__in=made_by_actions).values_list(
            "real_id", flat=True
        )
    )
    fresh = [real_id for real_id in real_ids if real_id not in taken]
    return (True, fresh[0]) if fresh else (False, None)
