"""Recording how an item ends: its status, a letter when it failed, and the inventory put back
when the cloud refused a call (an interim state it never reached, a launch that never was) or
the item was given up."""

from django.db import transaction
from django.utils import timezone

from apps.clouds.choices import Operation
from apps.history.record import record
from apps.inventory.models import Image, Instance

from . import changes, letters
from .choices import ItemStatus
from .models import ActionItem
from .rules import RULES


def succeed(item: ActionItem, reason: str = "") -> None:
    _finish(item, ItemStatus.SUCCEEDED, reason)


def fail(item: ActionItem, reason: str, *, refused: bool = False) -> None:
    """Fails the item with a letter; `refused`: the cloud never took the call, so what the
    request showed at once is undone."""
    with transaction.atomic():
        _finish(item, ItemStatus.FAILED, reason)
        letters.write(item, reason)
        if refused:
            _undo(item)


def _finish(item: ActionItem, status: str, reason: str) -> None:
    before = item.status
    item.status, item.reason, item.finished_at = status, reason, timezone.now()
    ActionItem.objects.filter(pk=item.pk).update(
        status=status, reason=reason, finished_at=item.finished_at
    )
    changes.status(item, before, status)


def _undo(item: ActionItem) -> None:
    if item.operation == Operation.ADD_INSTANCE:
        _, deleted = Instance.objects.filter(pk=item.instance_id, real_id__isnull=True).delete()
        if deleted.get(Instance._meta.label):
            record([changes.instance_gone(item)])
    else:
        show_state_before(item)
    if item.operation == Operation.ADD_IMAGE:
        Image.objects.filter(pk=item.image_id, real_id__isnull=True).delete()


def show_state_before(item: ActionItem) -> None:
    """The instance (or image) shows again what the cloud last said before the request, if it
    still shows the request's interim state: an item that ends without the cloud having told
    where the instance is leaves nothing behind that the syncs would keep."""
    interim = RULES[item.operation].interim
    if interim is None or not item.previous_state:
        return
    model = Image if item.operation == Operation.DELETE_IMAGE else Instance
    target = item.image_id if model is Image else item.instance_id
    if model.objects.filter(pk=target, state=interim).update(state=item.previous_state):
        record([changes.target_change(item, "state", interim, item.previous_state)])
