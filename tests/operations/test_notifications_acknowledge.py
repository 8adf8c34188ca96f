"""Acknowledging letters: the service, POST /notifications/acknowledge, GET /notifications?open=
and the admin's Acknowledge action."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.inventory import factories
from apps.operations.acknowledgement import acknowledge
from apps.operations.models import Action, ActionItem, Notification
from apps.operations.services import ForbiddenError
from tests.clients import client_of, granted

pytestmark = pytest.mark.django_db

ACKNOWLEDGE = "/notifications/acknowledge"
CHANGELIST = reverse("admin:operations_notification_changelist")


def letter(project, message: str = "Failed to reboot instance x (1): Conflict") -> Notification:
    """A letter about a failed item of the project."""
    action = Action.objects.create(operation="rebootInstance")
    item = ActionItem.objects.create(
        action=action, operation="rebootInstance", target_id="x", project=project,
        cloud=project.cloud, status="failed",
    )  # fmt: skip
    return Notification.objects.create(message=message, action=action, item=item)


def acknowledged(*letters) -> list:
    """(acknowledged_by, whether acknowledged_at is set) of each letter, as stored now."""
    stored = Notification.objects.in_bulk([letter.pk for letter in letters])
    return [
        (stored[one.pk].acknowledged_by, stored[one.pk].acknowledged_at is not None)
        for one in letters
    ]


@pytest.fixture
def project():
    return factories.ProjectFactory()


# The service ------------------------------------------------------------------------------


def test_acknowledging_records_who_and_when(project, admin_user):
    first, second, other = (letter(project) for _ in range(3))
    before = timezone.now()

    count = acknowledge([first.pk, second.pk], admin_user)

    assert count == 2
    assert acknowledged(first, second, other) == [
        (admin_user, True),
        (admin_user, True),
        (None, False),
    ]
    first.refresh_from_db()
    assert before <= first.acknowledged_at <= timezone.now()


def test_a_letter_keeps_its_first_acknowledgement(project, admin_user):
    one = letter(project)
    alice = granted("alice", operator=project)
    acknowledge([one.pk], alice)
    one.refresh_from_db()

    count = acknowledge([one.pk], admin_user)

    assert count == 0
    stored = Notification.objects.get(pk=one.pk)
    assert (stored.acknowledged_by, stored.acknowledged_at) == (alice, one.acknowledged_at)


def test_letters_are_acknowledged_in_one_update(project, admin_user):
    letters = [letter(project) for _ in range(5)]

    with CaptureQueriesContext(connection) as captured:
        acknowledge([one.pk for one in letters], admin_user)

    assert len(captured) == 1
    assert captured[0]["sql"].startswith("UPDATE")


def test_letters_of_projects_the_user_does_not_see_are_left_open(project):
    mine, theirs = letter(project), letter(factories.ProjectFactory())
    operator = granted("operator", operator=project)

    count = acknowledge([mine.pk, theirs.pk], operator)

    assert count == 1
    assert acknowledged(mine, theirs) == [(operator, True), (None, False)]


def test_letters_of_a_project_the_user_may_only_view_refuse_the_whole_request(project):
    viewed = factories.ProjectFactory()
    mine, seen = letter(project), letter(viewed)
    user = granted("operator", operator=project, viewer=viewed)

    with pytest.raises(ForbiddenError, match=f"view but not act on notification\\(s\\) {seen.pk}$"):
        acknowledge([mine.pk, seen.pk], user)

    assert acknowledged(mine, seen) == [(None, False), (None, False)]


# The API ----------------------------------------------------------------------------------


def test_acknowledged_letters_leave_the_open_ones(api, project):
    first, _, third = (letter(project, f"letter {n}") for n in range(3))

    response = api.post(ACKNOWLEDGE, [first.pk, third.pk], format="json")

    assert (response.status_code, response.json()) == (200, {"acknowledged": 2})
    still_open = api.get("/notifications", {"open": "true"}).json()
    done = api.get("/notifications", {"open": "false"}).json()
    assert [one["message"] for one in still_open] == ["letter 1"]
    assert [one["message"] for one in done] == ["letter 0", "letter 2"]
    assert len(api.get("/notifications").json()) == 3


def test_letters_keep_their_wire_shape_once_acknowledged(api, project):
    one = letter(project)
    api.post(ACKNOWLEDGE, [one.pk], format="json")

    [shown] = api.get("/notifications").json()

    assert set(shown) == {"id", "timestamp", "message", "actionId"}


def test_unknown_ids_are_ignored(api, project):
    one = letter(project)

    response = api.post(ACKNOWLEDGE, [one.pk, one.pk + 1000], format="json")

    assert (response.status_code, response.json()) == (200, {"acknowledged": 1})


def test_asking_twice_acknowledges_once(api, project):
    one = letter(project)
    api.post(ACKNOWLEDGE, [one.pk], format="json")

    response = api.post(ACKNOWLEDGE, [one.pk], format="json")

    assert (response.status_code, response.json()) == (200, {"acknowledged": 0})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"ids": [1]}, "Expected a JSON list of ids"),
        ([], "The list of ids is empty"),
        (["1"], "Notification ids are positive integers; not '1'"),
        ([True], "Notification ids are positive integers; not True"),
        ([0, 1.5], "Notification ids are positive integers; not 0, 1.5"),
        ([2**63], f"Notification ids are positive integers; not {2**63}"),
        ([7, 7], "Ids appear more than once: 7"),
    ],
)
def test_a_body_that_is_not_a_list_of_distinct_ids_is_400(api, body, message):
    response = api.post(ACKNOWLEDGE, body, format="json")

    assert (response.status_code, response.json()) == (400, {"message": message})


def test_a_viewer_may_not_acknowledge(project):
    one = letter(project)

    response = client_of(granted("viewer", viewer=project)).post(
        ACKNOWLEDGE, [one.pk], format="json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "message": "Your grants let you view, not act: an operator role is needed"
    }
    assert acknowledged(one) == [(None, False)]


def test_an_operator_of_one_project_may_not_acknowledge_the_letters_of_one_they_view(project):
    viewed = factories.ProjectFactory()
    seen = letter(viewed)
    user = granted("operator", operator=project, viewer=viewed)

    response = client_of(user).post(ACKNOWLEDGE, [seen.pk], format="json")

    assert (response.status_code, response.json()) == (
        403,
        {"message": f"You may view but not act on notification(s) {seen.pk}"},
    )


def test_open_is_true_or_false(api):
    response = api.get("/notifications", {"open": "maybe"})

    assert (response.status_code, response.json()) == (
        400,
        {"message": "open: Expected true or false."},
    )


def test_acknowledge_takes_only_post(api):
    assert api.get(ACKNOWLEDGE).status_code == 405


# The admin --------------------------------------------------------------------------------


def run_acknowledge(client, *letters):
    return client.post(
        CHANGELIST,
        {"action": "acknowledge", "_selected_action": [one.pk for one in letters]},
        follow=True,
    )


def test_the_admin_action_acknowledges_the_selected_letters(admin_client, admin_user, project):
    first, second, other = (letter(project) for _ in range(3))
    acknowledge([second.pk], admin_user)

    response = run_acknowledge(admin_client, first, second)

    assert "1 acknowledged (1 already were)." in response.content.decode()
    assert acknowledged(first, other) == [(admin_user, True), (None, False)]


def test_the_admin_lists_open_or_acknowledged_letters(admin_client, admin_user, project):
    first, second, third = (letter(project) for _ in range(3))
    acknowledge([first.pk], admin_user)

    open_ones = admin_client.get(CHANGELIST, {"open": "true"}).context["cl"].result_list
    done = admin_client.get(CHANGELIST, {"open": "false"}).context["cl"].result_list

    assert [one.pk for one in open_ones] == [third.pk, second.pk]  # newest first
    assert [one.pk for one in done] == [first.pk]


def test_the_admin_shows_who_acknowledged(admin_client, admin_user, project):
    acknowledge([letter(project).pk], admin_user)

    page = admin_client.get(CHANGELIST).content.decode()

    acknowledged = f'class="field-acknowledged[^"]*">[-0-9 :]+ by {admin_user.username}</td>'
    assert re.search(acknowledged, page)


def test_staff_without_the_change_permission_have_no_acknowledge_action(client, project):
    clerk = granted("clerk", operator=project)
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(clerk)
    one = letter(project)

    page = client.get(CHANGELIST).content.decode()
    run_acknowledge(client, one)

    assert 'value="acknowledge"' not in page
    assert acknowledged(one) == [(None, False)]


def test_staff_who_only_view_the_project_are_told_why_nothing_was_done(client, project):
    clerk = granted("clerk", viewer=project)
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_notification", "change_notification"])
    )
    client.force_login(clerk)
    one = letter(project)

    response = run_acknowledge(client, one)

    assert f"You may view but not act on notification(s) {one.pk}" in response.content.decode()
    assert acknowledged(one) == [(None, False)]
