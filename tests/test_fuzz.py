"""Generated requests at every endpoint: bodies (JSON of any shape, the API's own shapes with
odd ids, bytes that are no JSON), query parameters (the filters' names with odd values) and
headers (content types, Accept, credentials). Whatever comes, the answer is never a 5xx: odd
input is the client's error, said in JSON."""

import json
import string
from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from apps.inventory import factories
from apps.operations.models import Action, ActionItem, Notification

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ENDPOINT = 40


def endpoints() -> list[tuple[str, str]]:
    """(method, route) of every route outside the admin, with the method its view takes."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            route, view = prefix + str(pattern.pattern), pattern.callback
            if route.startswith("admin/"):
                continue
            methods = view.cls(**view.initkwargs).allowed_methods if hasattr(view, "cls") else []
            found.append(([m for m in methods if m != "OPTIONS"] or ["GET"])[0] + " /" + route)

    walk(get_resolver().url_patterns)
    return found


PARAMETERS = [
    *("name", "name__ic", "name__regex", "cloud", "project", "state", "flavor", "image", "type"),
    *("created_after", "created_before", "updated_after", "updated_before", "requested_after"),
    *("requested_before", "queued_after", "queued_before", "since", "open", "operation"),
    *("status", "user", "kind", "latest", "id", "ordering", "cursor", "page_size", "format"),
]
TIMES = st.sampled_from(
    [
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+05:00",
        "2026-12-02T10:00:00Z",
        "2026-12-02 10:00:00 02:00",
        "2026-13-45T99:99:99",
        "",
    ]
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
ASCII = st.text(string.printable, max_size=40)


def id_spellings(ids: list[str]):
    known = st.sampled_from(ids)
    return st.one_of(
        known,
        known.map(str.upper),
        known.map(lambda i: "{" + i + "}"),
        known.map(lambda i: "urn:uuid:" + i),
        known.map(lambda i: i.replace("-", "")),
        st.uuids().map(str),
        TEXT,
    )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def bodies(ids: list[str]):
    an_id = id_spellings(ids)
    shaped = st.one_of(
        st.lists(an_id, max_size=6),
        st.dictionaries(an_id, TEXT, max_size=4),
        st.lists(
            st.fixed_dictionaries(
                {"name": TEXT, "instanceId": an_id, "projectId": an_id},
                optional={"flavor": st.fixed_dictionaries({"id": an_id}), "metadata": JSON},
            ),
            max_size=3,
        ),
        st.lists(st.fixed_dictionaries({"sql": TEXT}, optional={"parameters": JSON}), max_size=2),
        st.fixed_dictionaries({}, optional={"kinds": st.lists(TEXT, max_size=3)}),
    )
    as_text = st.one_of(shaped, JSON).map(json.dumps)
    depth = st.integers(1, 3000)
    return st.one_of(
        as_text,
        as_text.map(str.encode),
        st.binary(max_size=64),
        depth.map(lambda n: "[" * n + "]" * n),
    )


CONTENT_TYPES = st.sampled_from(
    ["application/json", "", "application/x-www-form-urlencoded", "text/xml",
     "multipart/form-data; boundary=x", "application/json; charset=latin-1"]
)  # fmt: skip
ACCEPT = st.sampled_from(["application/json", "*/*", "text/html", "text/plain"])
# Mostly what clients send, so that most requests get past the headers to the view.
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "CONTENT_TYPE": st.one_of(CONTENT_TYPES, CONTENT_TYPES, ASCII),
        "HTTP_ACCEPT": st.one_of(st.just("application/json"), ACCEPT, ASCII),
        "HTTP_AUTHORIZATION": st.sampled_from(["Token ", "Bearer x", "Basic Og=="]) | ASCII,
        "HTTP_X_REQUEST_ID": ASCII,
    },
)


@pytest.fixture
def world(admin_user):
    project = factories.ProjectFactory(cloud=factories.CloudFactory(name="east"))
    instance = factories.InstanceFactory(project=project)
    image = factories.ImageFactory(cloud=project.cloud, projects=[project])
    action = Action.objects.create(operation="rebootInstance")
    item = ActionItem.objects.create(
        action=action, operation="rebootInstance", target_id=str(instance.id),
        name=instance.name, project=project, cloud=project.cloud, status="failed",
    )  # fmt: skip
    Notification.objects.create(message="Failed", action=action, item=item)
    ids = [
        str(instance.id),
        str(image.id),
        str(action.id),
        str(project.id),
        str(instance.flavor_id),
    ]
    return {"ids": ids, "token": Token.objects.create(user=admin_user).key}


@pytest.fixture
def unthrottled(monkeypatch):
    """Hundreds of requests a minute, as the fuzzer sends, are not over any rate here."""
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"query": None, "actions": None})


def fill(route: str, values: list[str]) -> str:
    """The route with each `<converter:name>` replaced by a value, quoted for a path."""
    parts = route.split("<")
    path = parts[0]
    for part, value in zip(parts[1:], values, strict=False):
        path += quote(value, safe="") + part.split(">", 1)[1]
    return path


@pytest.mark.parametrize("endpoint", endpoints())
@settings(
    max_examples=EXAMPLES_PER_ENDPOINT,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_request_gets_a_5xx(world, unthrottled, endpoint, data):
    method, route = endpoint.split(" ", 1)
    method = data.draw(st.sampled_from([method] * 6 + ["GET", "QUERY"]), label="method")
    path = fill(route, data.draw(st.lists(id_spellings(world["ids"]), min_size=2, max_size=2)))
    parameters = data.draw(
        st.dictionaries(st.sampled_from(PARAMETERS) | TEXT, TEXT | TIMES, max_size=4)
    )
    headers = {"HTTP_AUTHORIZATION": f"Token {world['token']}", **data.draw(HEADERS)}
    body = data.draw(bodies(world["ids"])) if method in ("POST", "PUT") else ""
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in parameters.items())

    response = APIClient().generic(
        method, f"{path}?{query}", body, content_type=headers.pop("CONTENT_TYPE", ""), **headers
    )

    assert response.status_code < 500, (method, path, query, headers, body, response.content)
