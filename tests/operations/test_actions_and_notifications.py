"""GET /actions/{id}: a batch with its items; GET /notifications?since=: the letters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.inventory import factories
from apps.operations import services
from apps.operations.api.serializers import ActionSerializer
from apps.operations.api.views import NotificationList
from apps.operations.models import Action, Notification

pytestmark = pytest.mark.django_db


def test_an_action_shows_each_item_with_its_status_and_reason(api, admin_user):
    ready = factories.InstanceFactory(state="launched")
    stopped = factories.InstanceFactory(state="shutoff")
    api.force_authenticate(admin_user)  # who asked
    batch = api.put("/instances/reboot", [str(ready.id), str(stopped.id)], format="json").json()

    body = api.get(f"/actions/{batch['actionId']}").json()

    assert body["operation"] == "rebootInstance"
    assert body["requestedBy"] == admin_user.username
    assert body["counts"] == {"queued": 1, "skipped": 1}
    items = {item["id"]: item for item in body["items"]}
    assert items[str(ready.id)] == {
        "id": str(ready.id),
        "name": ready.name,
        "operation": "rebootInstance",
        "status": "queued",
        "attempts": 0,
    }
    assert items[str(stopped.id)]["reason"] == "Cannot reboot an instance in state shutoff"
    assert body["requestedAt"].endswith("+00:00")


def test_an_action_of_an_anonymous_client_has_no_requester():
    instance = factories.InstanceFactory(state="launched")

    outcome = services.instance_action("pauseInstance", [str(instance.id)], user=None)

    assert "requestedBy" not in ActionSerializer(outcome.action).data
    assert outcome.action.requested_by is None


@pytest.mark.parametrize("action_id", ["nope", "5f1b3c52-8f0e-4c63-9d43-6a0f3f9d2a71"])
def test_an_unknown_action_is_404(api, action_id):
    response = api.get(f"/actions/{action_id}")

    assert (response.status_code, response.json()) == (
        404,
        {"message": f"Action {action_id} does not exist"},
    )


@pytest.fixture
def letters():
    action = Action.objects.create(operation="rebootInstance")
    now = timezone.now()
    return [
        Notification.objects.create(
            message=f"Failed to reboot instance {n}", action=action, created_at=now + timedelta(n)
        )
        for n in range(3)
    ]


def test_notifications_since_a_time_are_those_after_it_in_order(api, letters):
    since = letters[0].created_at.isoformat()

    response = api.get("/notifications", {"since": since})

    assert response.status_code == 200
    assert [n["message"] for n in response.json()] == [
        "Failed to reboot instance 1",
        "Failed to reboot instance 2",
    ]
    first = response.json()[0]
    assert first["actionId"] == str(letters[1].action_id)
    assert first["timestamp"] > since[:19]


def test_an_unencoded_offset_in_since_is_understood(api, letters):
    since = letters[1].created_at.isoformat()  # "...+00:00": "+" arrives as a space

    response = api.get(f"/notifications?since={since}")

    assert [n["message"] for n in response.json()] == ["Failed to reboot instance 2"]


def test_without_since_the_latest_notifications_are_listed(api, letters):
    assert len(api.get("/notifications").json()) == 3


def test_without_since_the_latest_up_to_the_limit_come_oldest_first(api, letters, monkeypatch):
    monkeypatch.setattr(NotificationList, "LIMIT", 2)

    listed = api.get("/notifications").json()

    assert [n["message"] for n in listed] == [
        "Failed to reboot instance 1",
        "Failed to reboot instance 2",
    ]


def test_a_since_that_is_not_a_time_is_400(api):
    response = api.get("/notifications", {"since": "yesterday"})

    assert response.status_code == 400
    assert response.json() == {"message": "since: Enter a valid date/time."}


def test_since_may_be_given_in_utc_with_a_z(api, letters):
    since = letters[1].created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    assert [n["message"] for n in api.get("/notifications", {"since": since}).json()] == [
        "Failed to reboot instance 2"
    ]


def test_a_notification_timestamp_has_the_offset_of_every_other_timestamp(api, letters):
    letter = api.get("/notifications").json()[0]
    action = api.get(f"/actions/{letter['actionId']}").json()

    assert letter["timestamp"].endswith("+00:00")
    assert action["requestedAt"].endswith("+00:00")
    since = api.get("/notifications", {"since": letter["timestamp"]}).json()
    assert letter["id"] not in [later["id"] for later in since]  # a client's `since` round trip
