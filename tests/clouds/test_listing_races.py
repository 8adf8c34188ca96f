"""A listing takes time to arrive and to be reconciled; what was stored from a later look at
the cloud meanwhile (a follower recording an action's end) stays."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.clouds.sync.reconcile import reconcile
from apps.inventory.factories import InstanceFactory
from apps.inventory.models import Instance

pytestmark = pytest.mark.django_db


def _listing(instance, state, observed_at) -> dict:
    """What a listing asked for at `observed_at` says of the instance: what is stored, but the
    state."""
    said = Instance.objects.filter(pk=instance.pk).values().get()
    for name in ("id", "real_id", "cloud_id"):
        del said[name]
    return {instance.real_id: {**said, "state": state, "observed_at": observed_at}}


def _reconcile(instance, incoming, stored_meanwhile=None) -> tuple:
    def keep(row, values):
        # Called between reading the stored rows and writing them: another transaction's write.
        if stored_meanwhile:
            Instance.objects.filter(pk=instance.pk).update(**stored_meanwhile)
        return values

    existing = Instance.objects.filter(pk=instance.pk)
    scope = ("cloud", instance.cloud_id)
    reconcile(
        Instance, existing, scope, incoming, complete=False, keep=keep, unless_newer="observed_at"
    )
    return Instance.objects.values_list("state", "observed_at").get(pk=instance.pk)


def test_an_end_stored_while_the_listing_was_reconciled_is_not_undone():
    listed_at = timezone.now()
    instance = InstanceFactory(state="rebooting", observed_at=listed_at - timedelta(minutes=5))
    polled_at = listed_at + timedelta(seconds=1)

    stored = _reconcile(
        instance,
        _listing(instance, "rebooting", listed_at),
        stored_meanwhile={"state": "launched", "observed_at": polled_at},
    )

    assert stored == ("launched", polled_at)


def test_a_listing_asked_for_after_the_stored_look_is_written():
    polled_at = timezone.now()
    instance = InstanceFactory(state="rebooting", observed_at=polled_at)
    listed_at = polled_at + timedelta(seconds=1)

    assert _reconcile(instance, _listing(instance, "launched", listed_at)) == (
        "launched",
        listed_at,
    )


def test_a_row_never_looked_at_is_written():
    instance = InstanceFactory(state="rebooting", observed_at=None)
    listed_at = timezone.now()

    assert _reconcile(instance, _listing(instance, "launched", listed_at)) == (
        "launched",
        listed_at,
    )
