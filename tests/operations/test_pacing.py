"""At most ACTIONS_MAX_IN_FLIGHT calls per cloud across all workers, and one follower per
project, both kept in the database."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.inventory import factories
from apps.operations import pacing, tasks
from apps.operations.models import Action, ActionItem, CallSlot, FollowLease

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud():
    return factories.CloudFactory()


@override_settings(ACTIONS_MAX_IN_FLIGHT=2)
def test_a_cloud_gets_no_more_slots_than_its_limit(cloud):
    with pacing.call_slot(cloud.id) as first, pacing.call_slot(cloud.id) as second:
        with pacing.call_slot(cloud.id) as third:
            assert (first, second, third) == (True, True, False)
        with pacing.call_slot(factories.CloudFactory().id) as elsewhere:
            assert elsewhere  # every cloud has its own
    with pacing.call_slot(cloud.id) as again:
        assert again


@override_settings(ACTIONS_MAX_IN_FLIGHT=1)
def test_the_slot_of_a_dead_holder_lapses(cloud):
    with pacing.call_slot(cloud.id):
        pass
    CallSlot.objects.update(holder="dead", expires_at=timezone.now() - timedelta(seconds=1))

    with pacing.call_slot(cloud.id) as held:
        assert held


@override_settings(ACTIONS_MAX_IN_FLIGHT=1)
def test_items_wait_for_a_slot_without_spending_an_attempt(cloud, monkeypatch):
    item = factories.InstanceFactory(project__cloud=cloud, state="rebooting")
    action_item = ActionItem.objects.create(
        action=Action.objects.create(operation="rebootInstance"),
        operation="rebootInstance",
        target_id=str(item.id),
        cloud=cloud,
        project=item.project,
        instance=item,
    )
    later = []
    monkeypatch.setattr(tasks.run_items, "apply_async", lambda *a, **k: later.append((a, k)))

    with pacing.call_slot(cloud.id):  # another worker's call
        tasks.run_items([str(action_item.id)])

    ((args, options),) = later
    assert args == (([str(action_item.id)], 0),)
    assert 0.5 <= options["countdown"] <= 1.5
    action_item.refresh_from_db()
    assert (action_item.status, action_item.attempts) == ("queued", 0)


def test_a_project_has_one_follower_at_a_time():
    project = factories.ProjectFactory()

    holder = pacing.take_follow_lease(project.id)

    assert holder
    assert pacing.take_follow_lease(project.id) is None
    pacing.release_follow_lease(project.id, holder)
    assert pacing.take_follow_lease(project.id)


def test_a_follower_that_stopped_polling_is_replaced():
    project = factories.ProjectFactory()
    pacing.take_follow_lease(project.id)
    FollowLease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert pacing.take_follow_lease(project.id)


def test_a_poll_delivered_twice_runs_once():
    project = factories.ProjectFactory()
    holder = pacing.take_follow_lease(project.id)

    assert pacing.next_poll(project.id, holder, 0)
    assert not pacing.next_poll(project.id, holder, 0)
    assert pacing.next_poll(project.id, holder, 1)
    assert not pacing.next_poll(project.id, "another chain", 2)
