"""The admin applies the same per-project access as the API: a staff user who is not a superuser
sees, filters by and acts on only the rows of their projects; grants and cloud credentials are
for superusers."""

import pytest
from django.contrib.admin import RelatedFieldListFilter
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.clouds.models import SyncRun
from apps.inventory import factories
from apps.inventory.models import (
    AvailabilityZone,
    Cloud,
    Flavor,
    Grant,
    Image,
    Instance,
    Keypair,
    Network,
    Project,
    Quota,
    Subnet,
)
from apps.operations.models import Action, ActionItem, Notification

pytestmark = pytest.mark.django_db

MODELS = [
    Cloud,
    Project,
    Quota,
    Flavor,
    Image,
    Instance,
    Network,
    Subnet,
    Keypair,
    AvailabilityZone,
    SyncRun,
    Action,
    Notification,
]


def url(model, view: str = "changelist", *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def project_rows(project, tag: str) -> dict:
    """One row of each project-level model, named after `tag`, in `project`."""
    flavor = factories.FlavorFactory(project=project, name=f"{tag}-flavor")
    network = factories.NetworkFactory(project=project, name=f"{tag}-net")
    keypair = factories.KeypairFactory(project=project, name=f"{tag}-key")
    image = factories.ImageFactory(cloud=project.cloud, name=f"{tag}-image", projects=[project])
    instance = factories.InstanceFactory(
        project=project, name=f"{tag}-vm", flavor=flavor, image=image, keypair=keypair
    )
    action = Action.objects.create(operation="rebootInstance")
    item = ActionItem.objects.create(
        action=action, operation="rebootInstance", target_id=str(instance.id), name=instance.name,
        project=project, cloud=project.cloud, status="failed",
    )  # fmt: skip
    return {
        Project: project,
        Quota: factories.QuotaFactory(project=project),
        Flavor: flavor,
        Image: image,
        Instance: instance,
        Network: network,
        Subnet: factories.SubnetFactory(network=network, name=f"{tag}-subnet"),
        Keypair: keypair,
        AvailabilityZone: factories.AvailabilityZoneFactory(project=project, name=f"{tag}-az"),
        Action: action,
        Notification: Notification.objects.create(
            message=f"Failed to reboot {tag}", action=action, item=item
        ),
    }


def cloud_rows(tag: str) -> dict:
    cloud = factories.CloudFactory(name=f"{tag}-cloud", password=f"{tag}-s3cret")
    project = factories.ProjectFactory(cloud=cloud, name=f"{tag}-project")
    run = SyncRun.objects.create(cloud=cloud, kind="catalog", status="failed", error=f"{tag}-err")
    return {Cloud: cloud, SyncRun: run, **project_rows(project, tag)}


@pytest.fixture
def world():
    """Cloud alpha with project alpha and project charlie; cloud bravo with project bravo."""
    alpha, bravo = cloud_rows("alpha"), cloud_rows("bravo")
    charlie = project_rows(
        factories.ProjectFactory(cloud=alpha[Cloud], name="charlie-project"), "charlie"
    )
    alpha[Image].projects.add(charlie[Project])  # shared with a project the user does not see
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie}


def staff_user(django_user_model, *codenames):
    user = django_user_model.objects.create_user("ops", password="pw", is_staff=True)
    views = [f"view_{model._meta.model_name}" for model in MODELS]
    user.user_permissions.add(*Permission.objects.filter(codename__in=[*views, *codenames]))
    return user


@pytest.fixture
def staff(django_user_model, client, world):
    """A logged-in staff user with the view permissions and a viewer grant on project alpha."""
    user = staff_user(django_user_model)
    Grant.objects.create(user=user, project=world["alpha"][Project], role="viewer")
    client.force_login(user)
    return user


def listed(client, model) -> list:
    response = client.get(url(model))
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_a_change_list_shows_only_the_rows_of_the_users_projects(staff, client, world, model):
    assert listed(client, model) == [world["alpha"][model]]


def test_a_cloud_seen_through_two_projects_is_listed_once(staff, client, world):
    Grant.objects.create(user=staff, project=world["charlie"][Project], role="viewer")

    assert listed(client, Cloud) == [world["alpha"][Cloud]]
    assert listed(client, SyncRun) == [world["alpha"][SyncRun]]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_a_row_of_another_project_is_missing_from_its_change_page(staff, client, world, model):
    response = client.get(url(model, "change", world["bravo"][model].pk), follow=True)

    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    page = response.content.decode()
    assert "doesn\N{RIGHT SINGLE QUOTATION MARK}t exist" in page  # Django's typography
    assert "bravo" not in page


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_a_row_of_the_users_project_opens(staff, client, world, model):
    response = client.get(url(model, "change", world["alpha"][model].pk))

    assert response.status_code == 200
    assert "bravo" not in response.content.decode()


def related_filters(client, model) -> dict:
    """{field path: labels} of the filters on related objects that a change list shows."""
    filters = client.get(url(model)).context["cl"].filter_specs
    return {
        spec.field_path: [label for _, label in spec.lookup_choices]
        for spec in filters
        if isinstance(spec, RelatedFieldListFilter)
    }


def test_list_filters_name_only_the_users_clouds_and_projects(staff, client, world):
    # A second project, in a cloud of its own: a filter with a single choice is not shown.
    delta = factories.ProjectFactory(
        cloud=factories.CloudFactory(name="delta-cloud"), name="delta-project"
    )
    Grant.objects.create(user=staff, project=delta, role="viewer")

    offered = {model._meta.model_name: related_filters(client, model) for model in MODELS}

    clouds, projects = ["alpha-cloud", "delta-cloud"], ["alpha-project", "delta-project"]
    by_project = {"project__cloud": clouds, "project": projects}
    assert offered == {
        "cloud": {},
        "project": {"cloud": clouds},
        "quota": {"project__cloud": clouds},
        "flavor": by_project,
        "image": {"cloud": clouds, "projects": projects},
        "instance": {"cloud": clouds, "project": projects},
        "network": by_project,
        "subnet": by_project,
        "keypair": by_project,
        "availabilityzone": by_project,
        "syncrun": {"cloud": clouds},
        "action": {},
        "notification": {},
    }


def test_an_image_page_names_only_the_users_projects_of_it(staff, client, world):
    page = client.get(url(Image, "change", world["alpha"][Image].pk)).content.decode()

    assert "alpha-project" in page
    assert "charlie" not in page


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_a_superuser_still_sees_every_row(admin_client, world, model):
    rows = {tag: rows[model] for tag, rows in world.items() if model in rows}

    assert set(listed(admin_client, model)) == set(rows.values())


def test_staff_without_grants_see_no_rows(django_user_model, client, world):
    client.force_login(staff_user(django_user_model))

    assert {model: listed(client, model) for model in MODELS} == {model: [] for model in MODELS}


def test_grants_are_for_superusers_only(django_user_model, client, world):
    perms = ("view_grant", "add_grant", "change_grant", "delete_grant")
    user = staff_user(django_user_model, *perms)
    mine = Grant.objects.create(user=user, project=world["alpha"][Project], role="viewer")
    client.force_login(user)

    pages = [url(Grant), url(Grant, "add"), url(Grant, "change", mine.pk)]
    assert [client.get(page).status_code for page in pages] == [403, 403, 403]
    add = {"user": user.pk, "project": world["bravo"][Project].pk, "role": "operator"}
    assert client.post(url(Grant, "add"), add).status_code == 403
    assert client.post(url(Grant, "change", mine.pk), add | {"role": "operator"}).status_code == 403
    assert list(Grant.objects.values_list("project", "role")) == [(mine.project_id, "viewer")]
    assert url(Grant) not in client.get(reverse("admin:index")).content.decode()


def test_superusers_still_edit_grants(admin_client, admin_user, world):
    response = admin_client.post(
        url(Grant, "add"),
        {"user": admin_user.pk, "project": world["bravo"][Project].pk, "role": "viewer"},
    )

    assert response.status_code == 302
    assert Grant.objects.filter(user=admin_user).exists()


def test_only_superusers_add_or_change_clouds(django_user_model, client, world):
    user = staff_user(django_user_model, "add_cloud", "change_cloud", "delete_cloud")
    Grant.objects.create(user=user, project=world["alpha"][Project], role="operator")
    client.force_login(user)
    cloud = world["alpha"][Cloud]

    assert client.get(url(Cloud, "add")).status_code == 403
    assert client.post(url(Cloud, "change", cloud.pk), {"name": "renamed"}).status_code == 403
    assert client.post(url(Cloud, "delete", cloud.pk), {"post": "yes"}).status_code == 403
    cloud.refresh_from_db()
    assert cloud.name == "alpha-cloud"


def test_a_clouds_read_only_page_does_not_show_its_secrets(staff, client, world):
    page = client.get(url(Cloud, "change", world["alpha"][Cloud].pk)).content.decode()

    assert "alpha-cloud" in page
    assert "alpha-s3cret" not in page


def test_batch_actions_act_only_on_the_users_instances(
    django_user_model, client, world, django_capture_on_commit_callbacks
):
    user = staff_user(django_user_model, "add_action")
    Grant.objects.create(user=user, project=world["alpha"][Project], role="operator")
    client.force_login(user)
    mine, theirs = world["alpha"][Instance], world["bravo"][Instance]
    Instance.objects.filter(pk__in=[mine.pk, theirs.pk]).update(state="launched")

    with django_capture_on_commit_callbacks():
        client.post(
            url(Instance),
            {"action": "rebootInstance", "_selected_action": [str(mine.id), str(theirs.id)]},
        )

    action = Action.objects.get(requested_by=user)
    assert list(action.items.values_list("target_id", flat=True)) == [str(mine.id)]
    assert Instance.objects.get(pk=theirs.pk).state == "launched"


def test_an_action_page_shows_only_the_items_of_the_users_projects(staff, client, world):
    action = world["alpha"][Action]
    bravo = world["bravo"][Instance]
    ActionItem.objects.create(
        action=action, operation="rebootInstance", target_id=str(bravo.id), name=bravo.name,
        project=bravo.project, cloud=bravo.cloud, status="succeeded",
    )  # fmt: skip

    staff.user_permissions.add(Permission.objects.get(codename="view_actionitem"))

    page = client.get(url(Action, "change", action.pk)).content.decode()

    assert "alpha-vm" in page
    assert "bravo-vm" not in page


def test_a_batch_action_on_view_only_instances_is_refused_with_a_message(
    django_user_model, client, world
):
    user = staff_user(django_user_model, "add_action")
    Grant.objects.create(user=user, project=world["alpha"][Project], role="viewer")
    client.force_login(user)
    mine = world["alpha"][Instance]
    Instance.objects.filter(pk=mine.pk).update(state="launched")

    response = client.post(
        url(Instance),
        {"action": "rebootInstance", "_selected_action": [str(mine.id)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "view but not act" in response.content.decode()
    assert not Action.objects.filter(requested_by=user).exists()


@pytest.mark.parametrize(
    ("role", "grant_on", "synced"),
    [
        ("viewer", "project", False),  # no sync action at all
        ("operator", "project", False),  # operates alpha, not charlie: not the whole cloud
        ("operator", "cloud", True),
    ],
)
def test_only_an_operator_of_the_whole_cloud_syncs_it(
    django_user_model, client, world, django_capture_on_commit_callbacks, role, grant_on, synced
):
    user = staff_user(django_user_model)
    cloud = world["alpha"][Cloud]
    target = {"cloud": cloud} if grant_on == "cloud" else {"project": world["alpha"][Project]}
    Grant.objects.create(user=user, role=role, **target)
    client.force_login(user)
    before = SyncRun.objects.count()

    with django_capture_on_commit_callbacks():
        client.post(url(Cloud), {"action": "sync_changes", "_selected_action": [cloud.pk]})

    assert (SyncRun.objects.count() > before) is synced


def queries(client, model) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(model)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_change_lists_cost_the_same_queries_for_more_rows(staff, client, world, model):
    few = queries(client, model)
    for number in range(3):
        more = cloud_rows(f"more{number}")
        Grant.objects.create(user=staff, project=more[Project], role="viewer")

    assert queries(client, model) == few
