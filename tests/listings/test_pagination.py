"""Cursor pagination: every row on exactly one page, in any ordering, forward and backward."""

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from apps.inventory import factories
from apps.inventory.models import Instance

from .helpers import body, ids, pages, pages_before

pytestmark = pytest.mark.django_db

URL = "/api/instances/"


@pytest.fixture
def crowd():
    """23 instances sharing names, states and times, some without a creation time."""
    project = factories.ProjectFactory()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        Instance(
            project=project,
            cloud=project.cloud,
            name=f"server-{n % 4}",
            state=["launched", "shutoff", "error"][n % 3],
            created=None if n % 5 == 0 else start + timedelta(days=n % 6),
            last_updated=start + timedelta(days=n % 7),
        )
        for n in range(23)
    ]
    Instance.objects.bulk_create(rows)
    return Instance.objects.all()


FIELDS = {"name": "name", "state": "state", "created": "created", "updated": "last_updated"}


def _in_order(crowd, ordering: tuple[str, ...]) -> list[str]:
    """The ids in the order the listing promises: by the fields (name by default), NULL times
    after the values (before them when descending), then by id."""
    rows = sorted(crowd, key=lambda row: row.id.hex)
    for spelled in reversed(ordering or ("name",)):
        name = FIELDS[spelled.lstrip("-")]

        def key(row, name=name):
            value = getattr(row, name)
            return (value is None, "" if value is None else value)

        rows.sort(key=key, reverse=spelled.startswith("-"))
    return [str(row.id) for row in rows]


ORDERINGS = [(), ("state",), ("-name",), ("created",), ("-created",), ("state", "-updated")]


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_pages_hold_every_row_once_in_order(api, crowd, ordering):
    params = {"page_size": 4} | ({"ordering": ",".join(ordering)} if ordering else {})

    walked = pages(api, URL, params)

    assert len(walked) == 6
    assert [len(page["results"]) for page in walked] == [4, 4, 4, 4, 4, 3]
    assert ids(walked) == _in_order(crowd, ordering)


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_previous_links_walk_back_over_the_same_pages(api, crowd, ordering):
    params = {"page_size": 4} | ({"ordering": ",".join(ordering)} if ordering else {})
    forward = pages(api, URL, params)

    backward = pages_before(api, forward[-1])

    assert [page["results"] for page in backward] == [page["results"] for page in forward[-2::-1]]
    assert backward[-1]["previous"] is None


def test_the_first_and_last_pages_have_one_link(api, crowd):
    walked = pages(api, URL, {"page_size": 10})

    assert walked[0]["previous"] is None and walked[0]["next"]
    assert walked[-1]["next"] is None and walked[-1]["previous"]


def test_a_row_added_before_the_cursor_does_not_shift_the_pages(api, crowd):
    in_order = _in_order(crowd, ())
    first = body(api, URL, {"page_size": 5})
    factories.InstanceFactory(name="a-newcomer")

    second = body(api, first["next"])

    assert ids([first, second]) == in_order[:10]


def test_the_page_size_is_capped(api, db):
    project = factories.ProjectFactory()
    Instance.objects.bulk_create(
        Instance(project=project, cloud=project.cloud, name=f"i-{n:04d}") for n in range(1003)
    )

    page = body(api, URL, {"page_size": 5000})

    assert len(page["results"]) == 1000
    assert page["next"]


def test_the_default_page_is_100(api, db):
    project = factories.ProjectFactory()
    Instance.objects.bulk_create(
        Instance(project=project, cloud=project.cloud, name=f"i-{n:04d}") for n in range(101)
    )

    assert len(body(api, URL)["results"]) == 100


@pytest.mark.parametrize("cursor", ["not-base64!", "eyJvIjpbXX0=", "e30=", "bnVsbA=="])
def test_a_cursor_that_is_not_ours_is_a_400(api, crowd, cursor):
    response = api.get(URL, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["message"].startswith("cursor: Invalid cursor")


def test_a_cursor_with_an_impossible_position_is_a_400(api, crowd):
    for position in (["x\u0000", "5f1b3c52-8f0e-4c63-9d43-6a0f3f9d2a71"], ["a", "not-a-uuid"]):
        token = base64.urlsafe_b64encode(json.dumps({"o": ["name", "id"], "p": position}).encode())

        response = api.get(URL, {"cursor": token.decode()})

        assert response.status_code == 400, position


def test_a_cursor_of_another_ordering_is_a_400(api, crowd):
    next_link = body(api, URL, {"page_size": 4, "ordering": "state"})["next"]
    (cursor,) = parse_qs(urlsplit(next_link).query)["cursor"]

    response = api.get(URL, {"page_size": 4, "ordering": "-created", "cursor": cursor})

    assert response.status_code == 400
    assert response.json()["message"] == (
        "cursor: The cursor is of another ordering: start without it"
    )
