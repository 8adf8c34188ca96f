"""Celery beat's sweep: the database, not the broker, knows what is left to do, so work whose
message was never handed over, or was lost by the broker or with its worker, is sent again."""

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
    """The messages handed to the broker: (item ids, attempts before)."""
    messages = []
    monkeypatch.setattr(
        tasks.run_items,
        "delay",
        lambda item_ids, attempts_before=0: messages.append((item_ids, attempts_before)),
    )
    return messages


def reboot(count: int = 1) -> Action:
    """A reboot of new instances, recorded but never handed to the broker."""
    found = [factories.InstanceFactory(state="launched") for _ in range(count)]
    return services.instance_action("rebootInstance", [str(i.id) for i in found]).action


def unanswered_for(seconds: float, **fields) -> None:
    """Every item was last answered for that long ago, and is in that state."""
    ActionItem.objects.update(due_at=timezone.now() - timedelta(seconds=seconds), **fields)


def test_items_no_message_answers_for_are_sent_again(sent, settings):
    action = reboot(2)
    unanswered_for(settings.RESEND_SECONDS + 1)

    tasks.sweep()

    assert [(sorted(ids), before) for ids, before in sent] == [
        (sorted(str(pk) for pk in ActionItem.objects.values_list("id", flat=True)), 0)
    ]
    assert Action.objects.get(pk=action.pk).sent_at is not None
    tasks.sweep()
    assert len(sent) == 1  # answered for again, from the time they were sent


def test_an_item_lost_while_waiting_for_its_retry_is_sent_with_its_tries(sent, settings):
    reboot()
    unanswered_for(settings.RESEND_SECONDS + 1, attempts=2)

    tasks.sweep()

    assert [before for _, before in sent] == [2]


def test_a_try_cut_short_with_its_message_lost_is_resumed(sent, settings):
    reboot()
    unanswered_for(settings.RESEND_SECONDS + 1, status="running", attempts=1)

    tasks.sweep()

    assert [before for _, before in sent] == [0]  # the message that resumes try 1


def test_items_just_asked_for_or_waiting_for_their_retry_are_left_alone(sent, settings):
    reboot()
    services.instance_action("startInstance", [str(factories.InstanceFactory(state="error").id)])
    tasks.sweep()
    ActionItem.objects.update(due_at=timezone.now() + timedelta(seconds=90))  # a retry's countdown
    tasks.sweep()

    assert sent == []


def test_accepted_and_finished_items_are_not_sent_again(sent, settings):
    reboot(2)
    unanswered_for(settings.RESEND_SECONDS + 1)
    first, second = ActionItem.objects.all()
    ActionItem.objects.filter(pk=first.pk).update(status="running", accepted_at=timezone.now())
    ActionItem.objects.filter(pk=second.pk).update(status="succeeded")

    tasks.sweep()

    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_does_not_fail_the_request(api, monkeypatch):
    def down(item_ids, attempts_before=0):
        raise OperationalError("Error 111 connecting to the broker")

    monkeypatch.setattr(tasks.run_items, "delay", down)
    instance = factories.InstanceFactory(state="launched")

    response = api.put("/instances/reboot", [str(instance.id)], format="json")

    assert response.status_code == 200
    assert Action.objects.get().sent_at is None  # the sweep sends it
    assert ActionItem.objects.get().status == "queued"


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
