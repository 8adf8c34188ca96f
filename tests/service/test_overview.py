"""The admin's index is the overview: what each user sees there, who may see it, its links, and
its cost in queries."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.clouds.models import SyncRun
from apps.history.choices import EntityKind
from apps.history.record import Cause, Change, record
from apps.inventory import factories
from apps.inventory.models import Grant
from apps.operations.acknowledgement import acknowledge
from apps.operations.models import Action, ActionItem, Notification

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def activity(name: str, user=None):
    """A cloud with a project, instances in three states, a sync, and an action of the project
    with a failed and a succeeded item and a letter; returns the project."""
    project = factories.ProjectFactory(cloud=factories.CloudFactory(name=name))
    for state, count in (("launched", 3), ("shutoff", 2), ("error", 1)):
        factories.InstanceFactory.create_batch(count, project=project, state=state)
    SyncRun.objects.create(cloud=project.cloud, kind="instances", status="succeeded")
    action = Action.objects.create(operation="rebootInstance", requested_by=user)
    for status in ("failed", "succeeded"):
        item = ActionItem.objects.create(
            action=action, operation="rebootInstance", target_id=f"{name}-{status}",
            project=project, cloud=project.cloud, status=status,
        )  # fmt: skip
    Notification.objects.create(message=f"Failed in {name}", action=action, item=item)
    return project


@pytest.fixture
def staff(django_user_model, client):
    """A logged-in staff user who is not a superuser, with no grant yet."""
    user = django_user_model.objects.create_user("ops", password="pw", is_staff=True)
    client.force_login(user)
    return user


def shown(client) -> dict:
    overview = client.get(INDEX).context["overview"]
    return {
        "clouds": {
            summary.cloud.name: {part.state: part.count for part in summary.states}
            for summary in overview.clouds
        },
        "actions": len(overview.actions),
        "letters": [letter.message for letter in overview.notifications],
    }


def test_a_superuser_sees_every_cloud(admin_client):
    activity("east")
    activity("west")
    factories.CloudFactory(name="empty")

    assert shown(admin_client) == {
        "clouds": {
            "east": {"launched": 3, "shutoff": 2, "error": 1},
            "empty": {},
            "west": {"launched": 3, "shutoff": 2, "error": 1},
        },
        "actions": 2,
        "letters": ["Failed in west", "Failed in east"],
    }


def test_staff_with_a_grant_of_one_project_see_only_that_projects_instances(staff, client):
    mine = activity("east")
    factories.InstanceFactory(project=factories.ProjectFactory(cloud=mine.cloud), state="paused")
    activity("west")
    Grant.objects.create(user=staff, project=mine, role="viewer")

    assert shown(client) == {
        "clouds": {"east": {"launched": 3, "shutoff": 2, "error": 1}},
        "actions": 1,
        "letters": ["Failed in east"],
    }


def test_an_actions_items_of_other_projects_are_not_counted(staff, client):
    mine = activity("east")
    theirs = factories.ProjectFactory(cloud=factories.CloudFactory(name="west"))
    ActionItem.objects.create(
        action=Action.objects.get(), operation="rebootInstance", target_id="west-failed",
        project=theirs, cloud=theirs.cloud, status="failed",
    )  # fmt: skip
    Grant.objects.create(user=staff, project=mine, role="viewer")

    (summary,) = client.get(INDEX).context["overview"].actions

    assert (summary.failed, summary.succeeded) == (1, 1)


def test_open_letters_of_any_age_are_listed_newest_first_and_acknowledged_ones_are_not(
    admin_client, admin_user
):
    activity("east")
    Notification.objects.create(message="Old but open", created_at=timezone.now() - timedelta(30))
    seen_to = Notification.objects.create(message="Seen to")
    acknowledge([seen_to.pk], admin_user)

    overview = admin_client.get(INDEX).context["overview"]

    assert [letter.message for letter in overview.notifications] == [
        "Failed in east",
        "Old but open",
    ]
    assert overview.notifications_total == 2


def test_twenty_open_letters_are_listed_and_the_tile_counts_them_all(admin_client):
    now = timezone.now()
    for number in range(25):
        Notification.objects.create(
            message=f"letter {number}", created_at=now - timedelta(0, number)
        )

    response = admin_client.get(INDEX)

    listed = [letter.message for letter in response.context["overview"].notifications]
    assert listed == [f"letter {number}" for number in range(20)]
    page = response.content.decode()
    assert "<strong>25</strong> open notifications" in page
    assert "All 25 open notifications" in page


def test_staff_without_grants_see_no_cloud(staff, client):
    activity("east")

    page = client.get(INDEX).content.decode()

    assert "No clouds to show" in page
    assert 'data-cloud="east"' not in page


def test_the_index_shows_the_app_list(admin_client):
    page = admin_client.get(INDEX).content.decode()

    assert f'href="{reverse("admin:inventory_instance_changelist")}"' in page


def test_users_who_are_not_staff_are_sent_to_the_login_page(django_user_model, client):
    client.force_login(django_user_model.objects.create_user("viewer", password="pw"))

    response = client.get(INDEX)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={INDEX}"


def test_every_link_of_the_overview_opens_an_admin_page(admin_client):
    activity("east", user=None)

    page = admin_client.get(INDEX).content.decode()
    main = page[page.index('id="content-main"') : page.index('id="content-related"')]
    links = {html.unescape(href) for href in re.findall(r'href="(/admin/[^"]+)"', main)}

    assert len(links) > 10
    for link in links:
        response = admin_client.get(link)
        assert (link, response.status_code) == (link, 200)  # a bad filter redirects with e=1


def test_a_state_link_lists_that_clouds_instances_in_that_state(admin_client):
    east = activity("east")
    activity("west")
    changelist = reverse("admin:inventory_instance_changelist")

    response = admin_client.get(
        changelist, {"cloud__id__exact": east.cloud_id, "state__exact": "shutoff"}
    )

    assert response.context["cl"].result_count == 2


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INDEX).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["superuser", "staff with a cloud grant"])
def test_the_queries_do_not_grow_with_clouds_and_actions(who, admin_user, staff, client):
    user = admin_user if who == "superuser" else staff
    client.force_login(user)
    first = activity("cloud-0", user)
    Grant.objects.create(user=staff, cloud=first.cloud, role="viewer")
    few = queries(client)

    for number in range(1, 6):
        project = activity(f"cloud-{number}", user)
        Grant.objects.create(user=staff, cloud=project.cloud, role="viewer")

    assert queries(client) == few, f"{few} queries for one cloud"


def test_an_action_that_queued_nothing_is_not_listed(admin_client, admin_user):
    activity("alpha")
    again = Action.objects.create(operation="deleteInstance", requested_by=admin_user)
    ActionItem.objects.create(
        action=again, operation="deleteInstance", target_id="gone", status="skipped",
        reason="Instance gone does not exist",
    )  # fmt: skip

    overview = admin_client.get(INDEX).context["overview"]

    assert [summary.action.operation for summary in overview.actions] == ["rebootInstance"]
    assert overview.actions_total == 1


def test_the_latest_changes_of_the_users_projects_are_listed_newest_first(staff, client):
    mine, theirs = activity("east"), activity("west")
    Grant.objects.create(user=staff, project=mine, role="viewer")
    for project, name, state in ((mine, "web-1", "error"), (theirs, "db-1", "error")):
        change = Change(
            EntityKind.INSTANCE, name, "state", "launched", state, name=name, project_id=project.id
        )
        record([change], Cause(sync_run_id=1))
    record([Change(EntityKind.INSTANCE, "web-2", "name", "a", "web-2", project_id=mine.id)])

    changes = client.get(INDEX).context["overview"].changes

    assert [(c.entity_id, c.field) for c in changes] == [("web-2", "name"), ("web-1", "state")]
