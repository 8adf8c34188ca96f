"""Every kind of user against every endpoint: the status, and exactly the rows they may see."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from apps.clouds.choices import Operation
from apps.inventory import factories
from apps.inventory.choices import InstanceState
from apps.inventory.models import Grant
from apps.operations import services
from apps.operations.models import Action, Notification

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "nobody", "viewer_a", "operator_a", "operator_b", "superuser"]


@pytest.fixture
def world():
    """Projects A and B (of two clouds), each with an instance, an image, an action and a letter;
    and a user of each kind."""
    world = {}
    for side in "ab":
        project = factories.ProjectFactory()
        image = factories.ImageFactory(cloud=project.cloud, projects=[project])
        instance = factories.InstanceFactory(
            project=project, image=image, state=InstanceState.LAUNCHED
        )
        action = services.instance_action(Operation.REBOOT_INSTANCE, [str(instance.id)]).action
        Notification.objects.create(
            message=f"letter {side}", action=action, item=action.items.get()
        )
        world |= {f"project_{side}": project, f"instance_{side}": instance}
        world |= {f"image_{side}": image, f"action_{side}": action}
    world["users"] = {
        "anonymous": None,
        "nobody": User.objects.create_user("nobody"),
        "viewer_a": _granted("viewer_a", "viewer", world["project_a"]),
        "operator_a": _granted("operator_a", "operator", world["project_a"]),
        "operator_b": _granted("operator_b", "operator", world["project_b"]),
        "superuser": User.objects.create_superuser("root"),
    }
    return world


def _granted(name, role, project):
    user = User.objects.create_user(name)
    Grant.objects.create(user=user, project=project, role=role)
    return user


def client_of(world, who) -> APIClient:
    client = APIClient()
    if world["users"][who]:
        client.force_authenticate(world["users"][who])
    return client


def sees(who: str, side: str) -> bool:
    return who == "superuser" or who.endswith(f"_{side}")


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("path", ["/ping", "/version"])
def test_ping_and_version_are_open_to_all(world, who, path):
    assert client_of(world, who).get(path).status_code == 200


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("kind", ["instance", "image", "action"])
def test_get_one_object(world, who, kind):
    plural = {"instance": "instances", "image": "images", "action": "actions"}[kind]

    response = client_of(world, who).get(f"/{plural}/{world[f'{kind}_a'].id}")

    expected = 401 if who == "anonymous" else 200 if sees(who, "a") else 404
    assert response.status_code == expected
    assert "message" in response.json() or response.json()["id"] == str(world[f"{kind}_a"].id)


@pytest.mark.parametrize("who", USERS)
def test_query_shows_exactly_the_users_rows(world, who):
    response = client_of(world, who).post(
        "/query", [{"sql": "select id from instances order by name"}], format="json"
    )

    if who == "anonymous":
        assert response.status_code == 401
        return
    rows = {row["value"][0] for row in response.json()[0]["data"]["row"]}
    expected = {str(world[f"instance_{s}"].id) for s in "ab" if sees(who, s)}
    assert rows == expected


@pytest.mark.parametrize("who", USERS)
def test_notifications_show_the_users_letters(world, who):
    response = client_of(world, who).get("/notifications")

    if who == "anonymous":
        assert response.status_code == 401
        return
    letters = {letter["message"] for letter in response.json()}
    assert letters == {f"letter {s}" for s in "ab" if sees(who, s)}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", (401, None)),
        ("nobody", (403, None)),
        ("viewer_a", (403, None)),
        ("operator_a", (200, 1)),
        ("operator_b", (200, 0)),  # a letter they do not see is ignored
        ("superuser", (200, 1)),
    ],
)
def test_acknowledging_the_letter_of_a(world, who, expected):
    letter = Notification.objects.get(message="letter a")

    response = client_of(world, who).post("/notifications/acknowledge", [letter.pk], format="json")

    assert (response.status_code, response.json().get("acknowledged")) == expected


@pytest.mark.parametrize("who", USERS)
def test_operations_show_the_types_of_the_users_clouds(world, who):
    response = client_of(world, who).get("/operations")

    if who == "anonymous":
        assert response.status_code == 401
        return
    assert set(response.json()) == (set() if who == "nobody" else {"openstack"})


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("viewer_a", 403),
        ("operator_a", 200),
        ("operator_b", 404),
        ("superuser", 200),
    ],
)
def test_batch_action_on_an_instance_of_a(world, who, expected):
    response = client_of(world, who).put(
        "/instances/reboot", [str(world["instance_a"].id)], format="json"
    )

    assert response.status_code == expected
    if expected == 404:
        assert str(world["instance_a"].id) in response.json()["message"]


def test_an_operator_of_a_who_views_b_may_not_act_on_b(world):
    Grant.objects.create(user=world["users"]["operator_a"], project=world["project_b"])

    response = client_of(world, "operator_a").put(
        "/instances/reboot", [str(world["instance_b"].id)], format="json"
    )

    assert response.status_code == 403
    assert "view but not act" in response.json()["message"]


def test_the_action_records_who_asked(world):
    response = client_of(world, "operator_a").put(
        "/instances/reboot", [str(world["instance_a"].id)], format="json"
    )

    action = Action.objects.get(pk=response.json()["actionId"])
    assert action.requested_by == world["users"]["operator_a"]
