"""Transient cloud errors are retried with backoff; a refusal fails the item at once."""

import pytest
from django.utils import timezone

from apps.inventory import factories
from apps.inventory.models import Instance
from apps.operations import attempts, connections
from apps.operations.models import ActionItem, Notification

from .helpers import action_calls, carry_out, ids, instances, states

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=0, projects=1)]


def item_of(response) -> ActionItem:
    return ActionItem.objects.get(action_id=response.json()["actionId"])


def test_a_cloud_failing_with_503_then_recovering_is_retried_and_done(act, synced, simulator):
    found = instances(1)
    simulator.control.set_faults(services=["compute"], error_status=503, error_count=2)

    response, work = act("put", "/instances/reboot", ids(found))
    work()

    item = item_of(response)
    assert (item.status, item.attempts, item.reason) == ("succeeded", 3, "")
    assert states(found) == {"launched"}
    assert action_calls(simulator, found) == 3


def test_a_rate_limit_is_retried_after_the_time_the_cloud_asks(act, synced, simulator):
    found = instances(1)
    simulator.control.set_faults(
        services=["compute"], error_status=429, error_count=1, retry_after=7
    )
    response, _ = act("put", "/instances/reboot", ids(found))
    item = item_of(response)

    result = carry_out(str(item.id), 0)

    assert (result.next, result.countdown, result.attempts) == (attempts.Next.RETRY, 7.0, 1)
    item.refresh_from_db()
    assert (item.status, item.reason) == (
        "queued",
        "Try 1 failed: 429: Failure injected by the OpenStack simulator",
    )


def test_a_503_is_retried_no_sooner_than_its_retry_after(act, synced, simulator):
    found = instances(1)
    simulator.control.set_faults(
        services=["compute"], error_status=503, error_count=4, retry_after=3
    )
    response, _ = act("put", "/instances/reboot", ids(found))
    item_id = str(item_of(response).id)

    countdowns = [carry_out(item_id, tries).countdown for tries in range(4)]

    assert countdowns == [3.0, 3.0, 4.0, 8.0]  # the cloud's wait, or the backoff when longer


def test_a_retry_after_is_honoured_up_to_the_setting(act, synced, simulator, settings):
    settings.RETRY_AFTER_MAX_SECONDS = 30
    found = instances(1)
    simulator.control.set_faults(
        services=["compute"], error_status=503, error_count=1, retry_after=3600
    )
    response, _ = act("put", "/instances/reboot", ids(found))

    assert carry_out(str(item_of(response).id), 0).countdown == 30.0


def test_keystone_answering_503_at_login_is_retried_like_any_outage(act, synced, simulator):
    found = instances(1)
    connections._local.__dict__.clear()  # the worker logs in afresh
    simulator.control.set_faults(
        services=["identity"], error_status=503, error_after=1, error_count=1
    )

    response, work = act("put", "/instances/reboot", ids(found))
    work()

    item = item_of(response)
    assert (item.status, item.attempts) == ("succeeded", 2)
    assert action_calls(simulator, found) == 1
    assert not Notification.objects.exists()


def test_backoff_doubles_with_each_try(act, synced, simulator):
    found = instances(1)
    simulator.control.set_faults(services=["compute"], error_status=503, error_count=3)
    response, _ = act("put", "/instances/reboot", ids(found))
    item_id = str(item_of(response).id)

    countdowns = [carry_out(item_id, tries).countdown for tries in range(3)]

    assert countdowns == [1.0, 2.0, 4.0]


def test_a_cloud_that_stays_down_fails_the_item_after_five_tries(act, synced, simulator):
    found = instances(1)
    simulator.control.set_faults(down=["compute"])

    response, work = act("put", "/instances/reboot", ids(found))
    work()

    item = item_of(response)
    assert (item.status, item.attempts) == ("failed", attempts.ITEM_MAX_ATTEMPTS)
    assert item.reason.startswith("Gave up after 5 tries: 503")
    assert states(found) == {"launched"}  # the interim state is undone
    assert Notification.objects.get().item == item


def test_a_409_fails_the_item_at_once_with_the_clouds_message_and_a_letter(act, synced, simulator):
    (instance,) = instances(1)
    simulator.control.update_server(instance.real_id, status="SHUTOFF")  # behind our back

    response, work = act("put", "/instances/reboot", [str(instance.id)])
    work()

    item = item_of(response)
    reason = f"409: Cannot 'reboot' instance {instance.real_id} while it is in vm_state stopped"
    assert (item.status, item.attempts, item.reason) == ("failed", 1, reason)
    assert Notification.objects.get().message == (
        f"Failed to reboot instance {instance.name} ({instance.id}): {reason}"
    )
    assert states([instance]) == {"launched"}  # as before; the next sync brings shutoff


def test_a_400_fails_the_item_at_once(act, synced):
    (instance,) = instances(1)
    unknown = factories.FlavorFactory(project=instance.project, name="m9.ghost", real_id="ghost")

    response, work = act("put", f"/instances/resize/{unknown.id}", [str(instance.id)])
    work()

    item = item_of(response)
    assert (item.status, item.attempts) == ("failed", 1)
    assert item.reason == "400: Unable to locate requested flavor."
    assert Notification.objects.get().message == (
        f"Failed to resize instance {instance.name} ({instance.id}) to flavor m9.ghost "
        f"({unknown.id}): {item.reason}"
    )


def test_an_item_whose_instance_became_unreachable_fails_without_a_call(act, synced, simulator):
    found = instances(1)
    response, work = act("put", "/instances/reboot", ids(found))
    Instance.objects.filter(pk=found[0].pk).update(unreachable_since=timezone.now())  # a sync

    work()

    item = item_of(response)
    assert (item.status, item.reason) == (
        "failed",
        "The cloud cannot reach the instance (its Nova cell is down)",
    )
    assert action_calls(simulator, found) == 0
    assert states(found) == {"launched"}
