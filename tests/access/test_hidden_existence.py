"""Filters and searches act only on what the user sees: a hidden cloud, project or item named
in a filter answers exactly what a name or id that does not exist answers."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from apps.inventory import factories
from apps.inventory.models import Grant
from apps.operations.models import Action, ActionItem

pytestmark = pytest.mark.django_db

NOWHERE = str(uuid.UUID(int=7))


@pytest.fixture
def world():
    """Project alpha, which the user sees; beside it, in the same cloud, project charlie, and
    in cloud bravo project bravo, which the user does not. One action touched alpha and bravo:
    its item in alpha succeeded, the one in bravo (named `secret-vm`) failed. An image of cloud
    alpha is shared with alpha and charlie."""
    alpha_cloud, bravo_cloud = (
        factories.CloudFactory(name="alpha"),
        factories.CloudFactory(name="bravo"),
    )
    alpha = factories.ProjectFactory(cloud=alpha_cloud)
    charlie = factories.ProjectFactory(cloud=alpha_cloud)
    bravo = factories.ProjectFactory(cloud=bravo_cloud)
    action = Action.objects.create(operation="rebootInstance")
    for project, name, status in ((alpha, "open-vm", "succeeded"), (bravo, "secret-vm", "failed")):
        ActionItem.objects.create(
            action=action, operation="rebootInstance", target_id=str(uuid.uuid4()), name=name,
            project=project, cloud=project.cloud, status=status,
        )  # fmt: skip
    factories.ImageFactory(cloud=alpha_cloud, projects=[alpha, charlie])
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie}


@pytest.fixture
def viewer(django_user_model, client, world):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    Grant.objects.create(user=user, project=world["alpha"], role="viewer")
    client.force_login(user)
    return user


def same_answer(client, url, hidden: dict, missing: dict):
    seen, none = client.get(url, hidden), client.get(url, missing)
    assert seen.status_code == none.status_code == 200
    return seen, none


@pytest.mark.parametrize(
    ("url", "parameter", "hidden", "missing"),
    [
        ("/api/actions/", "cloud", lambda w: "bravo", lambda w: "nowhere"),
        ("/api/actions/", "project", lambda w: str(w["bravo"].id), lambda w: NOWHERE),
        ("/api/actions/", "status", lambda w: "failed", lambda w: "queued"),
        ("/api/images/", "project", lambda w: str(w["charlie"].id), lambda w: NOWHERE),
    ],
    ids=["actions by cloud", "actions by project", "actions by status", "images by project"],
)
def test_a_listing_filter_on_something_hidden_answers_as_on_nothing(
    viewer, client, world, url, parameter, hidden, missing
):
    seen = client.get(url, {parameter: hidden(world)})
    none = client.get(url, {parameter: missing(world)})

    assert seen.status_code == none.status_code == 200
    assert seen.json() == none.json() == {"results": [], "next": None, "previous": None}


def test_the_admin_action_search_does_not_match_hidden_items(viewer, client):
    url = reverse("admin:operations_action_changelist")

    def found(term):
        return list(client.get(url, {"q": term}).context["cl"].result_list)

    assert found("secret-vm") == found("no-such-vm") == []
    assert len(found("open-vm")) == 1


def test_the_admin_image_filter_on_a_hidden_project_answers_as_on_none(viewer, client, world):
    url = reverse("admin:inventory_image_changelist")

    def found(project_id):
        response = client.get(url, {"projects__id__exact": project_id})
        return response.status_code, list(response.context["cl"].result_list)

    assert found(str(world["charlie"].id)) == found(NOWHERE) == (200, [])
