"""Celery beat's sweep: work whose hand-over to the broker failed is not lost."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from apps.inventory import factories
from apps.operations import services, tasks
from apps.operations.models import Action, ActionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The chunks of item ids handed to the broker."""
    chunks = []
    monkeypatch.setattr(tasks.run_items, "delay", lambda item_ids: chunks.append(item_ids))
    return chunks


def test_a_batch_whose_hand_over_failed_is_sent_by_the_sweep(sent):
    instance = factories.InstanceFactory(state="launched")
    outcome = services.instance_action("rebootInstance", [str(instance.id)])  # never committed
    Action.objects.update(requested_at=timezone.now() - timedelta(minutes=2))

    tasks.sweep()

    assert sent == [[str(ActionItem.objects.get().id)]]
    assert Action.objects.get(pk=outcome.action.pk).sent_at is not None
    tasks.sweep()
    assert len(sent) == 1


def test_a_batch_just_asked_for_or_with_nothing_to_do_is_left_alone(sent):
    services.instance_action("rebootInstance", [str(factories.InstanceFactory().id)])
    services.instance_action("startInstance", [str(factories.InstanceFactory(state="error").id)])

    tasks.sweep()

    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_does_not_fail_the_request(api, monkeypatch):
    def down(item_ids):
        raise OperationalError("Error 111 connecting to the broker")

    monkeypatch.setattr(tasks.run_items, "delay", down)
    instance = factories.InstanceFactory(state="launched")

    response = api.put("/instances/reboot", [str(instance.id)], format="json")

    assert response.status_code == 200
    assert Action.objects.get().sent_at is None  # the sweep sends it


def test_accepted_items_without_a_follower_are_followed_again(monkeypatch):
    instance = factories.InstanceFactory(state="rebooting")
    ActionItem.objects.create(
        action=Action.objects.create(operation="rebootInstance"),
        operation="rebootInstance",
        target_id=str(instance.id),
        project=instance.project,
        instance=instance,
        status="running",
        accepted_at=timezone.now(),
    )
    started = []
    monkeypatch.setattr(tasks, "start_following", started.append)

    tasks.sweep()

    assert started == [instance.project_id]
