"""Every JSON endpoint reads its body the same way (one limit, one content-type rule, one
wording), and every path answers JSON: 404 naming an unknown path, 405 only where the path is
real and the method is not."""

import json

import pytest
from rest_framework.test import APIClient

from apps.inventory import factories
from apps.jsonapi.body import MAX_BODY_BYTES

pytestmark = pytest.mark.django_db

# (method, path) of every endpoint that reads a JSON body.
JSON_ENDPOINTS = [
    ("POST", "/query"),
    ("POST", "/instances"),
    ("POST", "/instances/delete"),
    ("PUT", "/instances/reboot"),
    ("PUT", "/instances/rename"),
    ("PUT", "/instances/resize/m1.small"),
    ("PUT", "/instances/rebuild/cirros"),
    ("POST", "/images"),
    ("POST", "/images/delete"),
    ("POST", "/notifications/acknowledge"),
    ("POST", "/api/clouds/east/sync"),
]


@pytest.fixture(autouse=True)
def east():
    """The cloud of the sync endpoint, so that it reads the body rather than answer 404."""
    return factories.CloudFactory(name="east")


def send(api, method, path, body, content_type="application/json", **extra):
    return api.generic(method, path, body, content_type=content_type, **extra)


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
def test_a_body_over_the_limit_is_413_everywhere(api, method, path):
    response = send(api, method, path, json.dumps(["x" * 200] * 6000))

    assert (response.status_code, response.json()) == (
        413,
        {"message": f"The request body is larger than {MAX_BODY_BYTES} bytes"},
    )


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
def test_a_body_that_is_not_json_reads_the_same_everywhere(api, method, path):
    response = send(api, method, path, "[1, 2")

    reason = "Expecting ',' delimiter: line 1 column 6 (char 5)"
    assert (response.status_code, response.json()) == (
        400,
        {"message": f"Cannot read the body as JSON: {reason}"},
    )


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
@pytest.mark.parametrize("content_type", ["text/xml", "multipart/form-data; boundary=x"])
def test_a_body_declared_other_than_json_is_415_everywhere(api, method, path, content_type):
    response = send(api, method, path, "[]", content_type=content_type)

    assert response.status_code == 415
    assert response.json()["message"].startswith("The body must be JSON (application/json)")


def test_query_reads_a_body_sent_as_curl_sends_it_without_a_content_type(api):
    body = json.dumps([{"sql": "select 1 as one"}])
    as_json = send(api, "POST", "/query", body)

    for content_type in ("application/x-www-form-urlencoded", ""):
        response = send(api, "POST", "/query", body, content_type=content_type)
        assert (response.status_code, response.json()) == (200, as_json.json())


@pytest.mark.parametrize(
    "path",
    ["/api/", "/nowhere", "/instance/5653608a-117c-3ba8-80b0-36af42961fdb", "/instances/a/b"],
)
@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_an_unknown_path_is_a_json_404_naming_it(api, settings, path, debug):
    settings.DEBUG = debug

    response = api.get(path)

    assert (response.status_code, response.json()) == (404, {"message": f"Nothing at {path}"})


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/instances/reboott"), ("PUT", "/instances/resize"), ("DELETE", "/images/nope")],
)
def test_a_typo_in_an_action_is_404_not_405(api, method, path):
    response = api.generic(method, path, "[]")

    assert (response.status_code, response.json()) == (404, {"message": f"Nothing at {path}"})


def test_another_method_on_a_real_path_is_405_naming_the_ones_it_takes(api):
    instance = factories.InstanceFactory()

    response = api.generic("PUT", f"/instances/{instance.id}", "[]")

    assert response.status_code == 405
    assert response.json() == {"message": 'Method "PUT" not allowed.'}
    assert response["Allow"] == "GET, OPTIONS, HEAD"


@pytest.mark.parametrize("path", ["/version", "/query", "/instances/reboot", "/ping"])
def test_an_unknown_method_is_405_before_credentials_or_csrf(django_user_model, path):
    anonymous, logged_in = APIClient(), APIClient(enforce_csrf_checks=True)
    logged_in.force_login(django_user_model.objects.create_user("ops", is_staff=True))

    for client in (anonymous, logged_in):
        response = client.generic("QUERY", path, "")
        assert (response.status_code, response.json()) == (
            405,
            {"message": 'Method "QUERY" not allowed.'},
        )
