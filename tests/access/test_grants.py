import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.inventory import factories
from apps.inventory.access import Access
from apps.inventory.models import Grant, Instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_projects():
    return factories.ProjectFactory(), factories.ProjectFactory()


def test_a_project_grant_shows_that_project_only(two_projects):
    a, _ = two_projects
    user = User.objects.create_user("ann")
    Grant.objects.create(user=user, project=a, role="viewer")

    access = Access(user)

    assert access.visible_project_ids == {a.id}
    assert access.operable_project_ids == frozenset()
    assert not access.may_operate


def test_a_cloud_grant_covers_every_project_of_the_cloud(two_projects):
    a, _ = two_projects
    sibling = factories.ProjectFactory(cloud=a.cloud)
    user = User.objects.create_user("ann")
    Grant.objects.create(user=user, cloud=a.cloud, role="operator")

    assert Access(user).operable_project_ids == {a.id, sibling.id}


def test_grants_of_the_users_groups_apply(two_projects):
    _, b = two_projects
    group = Group.objects.create(name="ops")
    user = User.objects.create_user("ann")
    user.groups.add(group)
    Grant.objects.create(group=group, project=b, role="operator")

    assert Access(user).operable_project_ids == {b.id}


def test_superusers_are_unrestricted(two_projects):
    admin = User.objects.create_superuser("root")

    assert Access(admin).visible_project_ids is None
    assert Access(admin).may_operate


def test_visible_filters_a_queryset_by_project(two_projects):
    a, b = two_projects
    mine, _ = factories.InstanceFactory(project=a), factories.InstanceFactory(project=b)
    user = User.objects.create_user("ann")
    Grant.objects.create(user=user, project=a)

    assert list(Access(user).visible(Instance.objects.all())) == [mine]


def test_anonymous_sees_nothing(two_projects):
    from django.contrib.auth.models import AnonymousUser

    assert Access(AnonymousUser()).visible_project_ids == frozenset()


def test_grant_command_creates_the_user_and_prints_a_token(two_projects, capsys):
    a, _ = two_projects

    call_command("grant", "bob", "operator", "--project", a.name, "--create")

    out = capsys.readouterr().out
    bob = User.objects.get(username="bob")
    assert Grant.objects.get(user=bob).role == "operator"
    assert Token.objects.get(user=bob).key in out


def test_granting_again_changes_the_role(two_projects):
    a, _ = two_projects
    User.objects.create_user("bob")

    call_command("grant", "bob", "operator", "--cloud", a.cloud.name)
    call_command("grant", "bob", "viewer", "--cloud", a.cloud.name)

    assert list(Grant.objects.values_list("role", flat=True)) == ["viewer"]


def test_revoke_takes_the_grant_back(two_projects):
    a, _ = two_projects
    call_command("grant", "bob", "viewer", "--project", a.name, "--create")

    call_command("revoke", "bob", "--project", a.name)

    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nobody", "viewer", "--cloud", "x"], "No cloud named 'x'"),
        (["nobody", "viewer"], "exactly one of --project and --cloud"),
    ],
)
def test_grant_refuses_what_does_not_exist(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant", *arguments)


def test_grant_needs_create_for_a_new_user(two_projects):
    with pytest.raises(CommandError, match="add --create"):
        call_command("grant", "nobody", "viewer", "--project", two_projects[0].name)


def test_an_image_names_only_the_projects_the_user_sees(two_projects):
    a, _ = two_projects
    b = factories.ProjectFactory(cloud=a.cloud)
    image = factories.ImageFactory(cloud=a.cloud, projects=[a, b])
    user = User.objects.create_user("ann")
    Grant.objects.create(user=user, project=a, role="viewer")
    client = APIClient()
    client.force_authenticate(user)

    detail = client.get(f"/images/{image.id}").json()
    listed = client.get("/api/images/").json()["results"]

    assert detail["projectId"] == [str(a.id)]
    assert [item["projectId"] for item in listed] == [[str(a.id)]]
