"""Odd input is a 400 with a message naming what is wrong, never a 500: bodies nested deeper
than any of ours, times that are no time in UTC, text no database stores (a NUL character,
a lone surrogate)."""

import base64
import json

import pytest

from apps.inventory import factories

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


def send(api, method, path, body):
    return api.generic(method, path, body, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/query"), ("PUT", "/instances/reboot"), ("POST", "/instances"), ("POST", "/images")],
)
@pytest.mark.parametrize("body", [DEEP, '{"a":' * 5000 + "1" + "}" * 5000, "[" * 40 + "]" * 40])
def test_a_body_nested_deeper_than_ours_is_400(api, method, path, body):
    response = send(api, method, path, body)

    assert (response.status_code, response.json()) == (
        400,
        {"message": "The body is nested more than 32 levels deep"},
    )


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/instances/delete", '["\\ud800"]', "body[0]: text must be valid Unicode"),
        ("/instances/delete", '["a\\u0000b"]', "body[0]: text must not contain the NUL"),
        ("/images/delete", '["\\udfff"]', "body[0]: text must be valid Unicode"),
        ("/query", '[{"sql": "select 1\\u0000"}]', "body[0]['sql']: text must not contain"),
    ],
    ids=["lone surrogate", "NUL in an id", "lone surrogate in an image id", "NUL in sql"],
)
def test_text_no_database_stores_is_400_naming_where(api, path, body, message):
    response = send(api, "POST", path, body)

    assert response.status_code == 400
    assert response.json()["message"].startswith(message)


def test_a_nul_in_a_new_name_or_an_id_of_a_rename_is_400(api):
    instance = factories.InstanceFactory()

    name = send(api, "PUT", "/instances/rename", json.dumps({str(instance.id): "a\x00b"}))
    key = send(api, "PUT", "/instances/rename", json.dumps({f"{instance.id}\x00": "b"}))

    assert name.status_code == key.status_code == 400
    assert name.json()["message"].startswith(f"body['{instance.id}']: text must not contain")
    assert key.json()["message"].startswith(f"body key '{instance.id}\\x00': text must not")


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("/notifications", "since", "9999-12-31T23:59:59-23:59"),
        ("/api/instances/", "created_after", "0001-01-01T00:00:00+05:00"),
        ("/api/actions/", "requested_before", "9999-12-31T23:00:00-05:00"),
        ("/api/syncs/", "queued_after", "0001-01-01T01:00:00+02:00"),
    ],
)
def test_a_time_that_is_no_time_in_utc_is_400_naming_the_parameter(api, path, parameter, value):
    response = api.get(path, {parameter: value})

    assert (response.status_code, response.json()) == (
        400,
        {"message": f"{parameter}: Out of the range of times: years 1 to 9999 in UTC."},
    )


def test_a_forged_cursor_holding_such_a_time_is_400(api):
    factories.InstanceFactory.create_batch(3)
    position = ["0001-01-01T00:00:00+05:00", "00000000-0000-4000-8000-000000000000"]
    cursor = {"o": ["created", "id"], "p": position}
    token = base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode()

    response = api.get("/api/instances/", {"ordering": "created", "cursor": token})

    assert response.status_code == 400
    assert response.json()["message"].startswith("cursor: Invalid cursor")


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/api/clouds/a%00b/sync", {}),
        ("/instances/a%00b", {}),
        ("/actions/a%00b", {}),
        ("/api/instances/", {"cloud": "a\x00b"}),
        ("/api/instances/", {"name": "a\x00b"}),
        ("/api/instances/", {"name__ic": "a\x00b"}),
        ("/api/instances/", {"name__regex": "a\x00b"}),
        ("/api/actions/", {"user": "a\x00b"}),
        ("/api/actions/", {"cloud": "a\x00b"}),
        ("/api/syncs/", {"cloud": "a\x00b"}),
    ],
)
def test_a_nul_in_a_path_or_a_parameter_is_a_4xx(api, path, parameters):
    method = api.post if path.endswith("/sync") else api.get

    response = method(path, parameters)

    assert 400 <= response.status_code < 500
    assert "message" in response.json()
