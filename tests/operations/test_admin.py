"""The batch actions on the admin's instance list, and the admin of actions and letters."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.inventory import factories
from apps.inventory.models import Instance
from apps.operations.models import Action, Notification

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:inventory_instance_changelist")


def run_action(client, name, *instances):
    return client.post(
        CHANGELIST,
        {"action": name, "_selected_action": [str(i.id) for i in instances]},
        follow=True,
    )


def test_selected_instances_are_rebooted_through_the_same_services(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    ready = factories.InstanceFactory(state="launched")
    stopped = factories.InstanceFactory(state="shutoff")

    with django_capture_on_commit_callbacks() as callbacks:
        response = run_action(admin_client, "rebootInstance", ready, stopped)

    action = Action.objects.get()
    assert (action.operation, action.requested_by) == ("rebootInstance", admin_user)
    assert Instance.objects.get(id=ready.id).state == "rebooting"
    assert len(callbacks) == 1
    page = response.content.decode()
    assert "1 queued, 1 skipped" in page
    assert "Cannot reboot an instance in state shutoff" in page


def test_staff_without_the_permission_see_no_batch_actions(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_instance"))
    client.force_login(clerk)
    instance = factories.InstanceFactory(state="launched")

    page = client.get(CHANGELIST).content.decode()
    run_action(client, "rebootInstance", instance)

    assert "rebootInstance" not in page
    assert not Action.objects.exists()


def test_actions_and_notifications_render_in_the_admin(admin_client):
    instance = factories.InstanceFactory(state="launched")
    run_action(admin_client, "pauseInstance", instance)
    action = Action.objects.get()
    Notification.objects.create(message="Failed to pause instance x", action=action)

    for name in ("action", "notification"):
        assert admin_client.get(reverse(f"admin:operations_{name}_changelist")).status_code == 200
    change = reverse("admin:operations_action_change", args=[action.pk])
    assert instance.name in admin_client.get(change).content.decode()


def test_the_actions_list_shows_each_outcome_and_filters_only_by_operations_that_occur(
    admin_client,
):
    ready, stopped = (factories.InstanceFactory(state=state) for state in ("launched", "shutoff"))
    run_action(admin_client, "pauseInstance", ready)
    run_action(admin_client, "pauseInstance", stopped)  # skipped: not running

    page = admin_client.get(reverse("admin:operations_action_changelist"))

    outcomes = [page.context["cl"].model_admin.outcome(a) for a in page.context["cl"].result_list]
    assert sorted(outcomes) == ["running", "skipped"]
    (operations,) = [f for f in page.context["cl"].filter_specs if f.title == "operation"]
    assert [value for value, _ in operations.lookup_choices] == ["pauseInstance"]
