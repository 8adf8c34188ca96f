"""No lookup, search or sort reads a secret: a filter answered row by row (`startswith`,
`regex`) would let anyone who sees the rows read a secret out character by character. Every
admin change list and every listing is walked with lookups on every secret field reachable
from its rows, as a staff user (not a superuser) allowed to view everything; each answer must be
the same whatever the pattern."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldError
from django.db import connection
from django.urls import resolve, reverse
from rest_framework.authtoken.models import Token

from apps.inventory import factories
from apps.inventory.fields import is_secret
from apps.inventory.models import Cloud, Grant

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/api/instances/",
    "/api/images/",
    "/api/projects/",
    "/api/flavors/",
    "/api/networks/",
    "/api/clouds/",
    "/api/actions/",
    "/api/syncs/",
    "/notifications",
]


def secret_paths(model, depth: int = 3, prefix: str = "", seen=()) -> list[tuple[str, object]]:
    """(lookup path, secret field) of every secret reachable from `model` in `depth` steps."""
    found = []
    for field in model._meta.get_fields():
        path = f"{prefix}{field.name}"
        if is_secret(field):
            found.append((path, field))
        elif field.is_relation and depth > 1 and field.related_model not in (None, *seen):
            nested = (model, *seen)
            found += secret_paths(field.related_model, depth - 1, f"{path}__", nested)
    return found


def stored_prefix(field) -> str:
    """The first characters of the secret as stored (what an attacker would guess first)."""
    table, column = field.model._meta.db_table, field.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY 1")
        return cursor.fetchone()[0][:5]


def guesses(field) -> dict[str, tuple[str, str]]:
    """Per lookup, a pattern the stored secret matches and one it does not."""
    prefix = stored_prefix(field)
    return {
        "regex": (f"^{prefix}", "^~never"),
        "iregex": (".", "^$"),
        "startswith": (prefix, "~never"),
        "contains": (prefix[1:], "~never"),
        "gt": ("", "~"),
        "exact": ("", "~never"),
        "isnull": ("false", "true"),
    }


@pytest.fixture
def world(django_user_model):
    cloud = factories.CloudFactory(
        name="alpha", password="s3cret-pw", application_credential_secret="s3cret-app"
    )
    project = factories.ProjectFactory(cloud=cloud)
    factories.InstanceFactory(project=project)
    factories.ImageFactory(cloud=cloud, projects=[project])
    return project


@pytest.fixture
def staff(django_user_model, world, client):
    """A staff user, not a superuser, who may view every model and sees project alpha."""
    user = django_user_model.objects.create_user("ops", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    Grant.objects.create(user=user, project=world, role="viewer")
    Token.objects.create(user=user)
    client.force_login(user)
    return user


def answer(response) -> tuple:
    if response.status_code == 200 and response.context and "cl" in response.context:
        return 200, sorted(str(row.pk) for row in response.context["cl"].result_list)
    return response.status_code, response.content


def admin_cases():
    for model in admin.site._registry:
        opts = model._meta
        changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
        for path, field in secret_paths(model):
            yield pytest.param(changelist, path, field, id=f"{opts.model_name}-{path}")


@pytest.mark.parametrize(("changelist", "path", "field"), list(admin_cases()))
def test_no_admin_change_list_answers_a_lookup_on_a_secret(staff, client, changelist, path, field):
    url = reverse(changelist)
    shown = client.get(url).status_code == 200  # Grant, for one, is for superusers only
    for lookup, (matching, other) in guesses(field).items():
        name = f"{path}__{lookup}"
        answers = {answer(client.get(url, {name: pattern})) for pattern in (matching, other)}
        assert len(answers) == 1, f"{name} tells {matching!r} from {other!r}"
        assert next(iter(answers))[0] == (400 if shown else 403)  # refused, not a shorter list


@pytest.mark.parametrize("url", LISTINGS)
def test_no_listing_answers_a_lookup_on_a_secret(staff, client, url):
    model = resolve(url).func.view_class.queryset.model
    assert client.get(url).status_code == 200
    for path, field in secret_paths(model):
        for lookup, (matching, other) in guesses(field).items():
            name = f"{path}__{lookup}"
            answers = {client.get(url, {name: p}).content for p in (matching, other)}
            assert len(answers) == 1, f"{url}?{name} tells {matching!r} from {other!r}"


def test_an_admin_search_does_not_read_a_secret(staff, client):
    prefix = stored_prefix(Cloud._meta.get_field("password"))
    url = reverse("admin:inventory_cloud_changelist")

    assert answer(client.get(url, {"q": prefix})) == answer(client.get(url, {"q": "~never"}))


def test_the_database_layer_refuses_a_lookup_on_a_secret(world):
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Cloud.objects.filter(password__startswith="gAAAA"))


def test_api_tokens_are_listed_to_superusers_only(staff, client):
    assert client.get(reverse("admin:authtoken_tokenproxy_changelist")).status_code == 403
