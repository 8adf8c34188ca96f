"""GET /api/instances/: each filter, the ordering, the item shape, and bad parameters."""

import pytest
from django.db import connection

from apps.inventory import factories

from .conftest import INSTANCES
from .helpers import names

pytestmark = pytest.mark.django_db

URL = "/api/instances/"
ALL = sorted(name for _, name, *_ in INSTANCES)


def listed(api, **params) -> list[str]:
    return names(api.get(URL, params))


def test_all_instances_by_name(api, world):
    assert listed(api) == ALL


def test_state_takes_several_values(api, world):
    assert listed(api, state="launched") == ["Web-Admin", "web-1", "web-3"]
    assert listed(api, state=["error", "paused"]) == ["cache-1", "db-1"]


def test_cloud_is_the_cloud_id_of_the_wire(api, world):
    assert listed(api, cloud="west") == ["cache-1", "web-3"]
    assert listed(api, cloud=["west", "nowhere"]) == ["cache-1", "web-3"]


def test_project_is_its_public_id(api, world):
    assert listed(api, project=str(world.projects["b"].id)) == ["cache-1", "web-3"]


def test_image_and_flavor_are_public_ids(api, world):
    web_1 = world.instances["web-1"]

    assert listed(api, flavor=str(web_1.flavor_id)) == ["web-1"]
    assert listed(api, image=str(world.images["b"].id)) == ["cache-1", "web-3"]


def test_name_is_exact(api, world):
    assert listed(api, name=["web-1", "web"]) == ["web-1"]


def test_name_contains_ignores_case(api, world):
    assert listed(api, name__ic="WEB-") == ["Web-Admin", "web-1", "web-2", "web-3"]


def test_name_regex_is_case_sensitive_and_matches_anywhere(api, world):
    assert listed(api, name__regex=r"eb-\d$") == ["web-1", "web-2", "web-3"]
    assert listed(api, name__regex="^W") == ["Web-Admin"]


def test_runaway_name_regex_is_stopped_and_says_so(api, world):
    """Exponential for Python's backtracking matchers; PostgreSQL's engine answers at once."""
    factories.InstanceFactory(project=world.projects["a"], name="a" * 40 + "!")

    response = api.get(URL, {"name__regex": "^(a|aa)+$"})

    if connection.vendor == "postgresql":
        assert names(response) == []
    else:
        assert response.status_code == 400
        assert response.json()["message"].startswith("The regular expression took too long")


def test_created_range_is_half_open(api, world):
    listed_range = listed(
        api, created_after="2026-01-02T00:00:00Z", created_before="2026-01-04T00:00:00Z"
    )

    assert listed_range == ["db-1", "web-2"]


def test_updated_range(api, world):
    assert listed(api, updated_after="2026-01-09T00:00:00+00:00") == ["web-1", "web-2"]
    assert listed(api, updated_before="2026-01-06T00:00:00") == ["cache-1"]


def test_an_unencoded_plus_of_an_offset_is_read_as_one(api, world):
    response = api.get(f"{URL}?updated_after=2026-01-09T02:00:00+02:00")

    assert names(response) == ["web-1", "web-2"]


def test_filters_combine(api, world):
    assert listed(api, state="launched", cloud="east", name__ic="web") == ["Web-Admin", "web-1"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-name", ALL[::-1]),
        ("created", ["web-1", "web-2", "db-1", "Web-Admin", "web-3", "cache-1", "queued-1"]),
        ("-created", ["queued-1", "cache-1", "web-3", "Web-Admin", "db-1", "web-2", "web-1"]),
        ("updated", ["cache-1", "web-3", "Web-Admin", "db-1", "web-2", "web-1", "queued-1"]),
        ("state,-name", ["db-1", "web-3", "web-1", "Web-Admin", "cache-1", "queued-1", "web-2"]),
    ],
)
def test_ordering(api, world, ordering, expected):
    assert listed(api, ordering=ordering) == expected


def test_an_item_is_what_the_detail_endpoint_answers(api, world):
    for item in api.get(URL).json()["results"]:
        assert item == api.get(f"/instances/{item['id']}").json()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"state": "sleeping"}, "state: Select a valid choice. sleeping is not one of"),
        ({"project": "east"}, "project: Enter a valid UUID."),
        ({"created_after": "yesterday"}, "created_after: Enter a valid date/time."),
        ({"ordering": "colour"}, "ordering: Select a valid choice. colour is not one of"),
        ({"name__regex": "web-("}, "name__regex: Not a regular expression the database reads: "),
        (
            {"name__regex": "(?:ab|c){200000}"},
            "name__regex: Not a regular expression the database reads: ",
        ),
        ({"stat": "error"}, "Unknown parameters stat; known: "),
        ({"page_size": "many"}, "page_size: A whole number from 1 to 1000"),
        ({"name": "a\x00b"}, "name: Null characters are not allowed."),
    ],
)
def test_a_bad_parameter_is_a_400_with_a_message(api, world, params, message):
    response = api.get(URL, params)

    assert response.status_code == 400
    assert response.json()["message"].startswith(message)


def test_a_pattern_is_checked_by_the_database_that_runs_it(api, world):
    """Python's `re` reads named groups, PostgreSQL's regular expressions do not."""
    response = api.get(URL, {"name__regex": "(?P<role>web)-1"})

    if connection.vendor == "postgresql":
        assert response.status_code == 400
        assert "invalid embedded option" in response.json()["message"]
    else:
        assert names(response) == ["web-1"]
