import tomllib
from pathlib import Path

import pytest

from apps.clouds import drivers
from apps.clouds.choices import Operation

pytestmark = pytest.mark.django_db


def test_ping_is_200_when_database_and_broker_answer(api):
    response = api.get("/ping")

    assert response.status_code == 200
    assert response.json() == {"message": "ok"}


def test_ping_answers_a_load_balancer_that_sends_its_own_host(anonymous):
    response = anonymous.get("/ping", HTTP_HOST="10.0.0.7:8000")
    elsewhere = anonymous.get("/version", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert response.json() == {"message": "ok"}
    assert elsewhere.status_code == 400


@pytest.mark.usefixtures("broker_down")
def test_ping_is_503_naming_the_broker_when_it_does_not_answer(api):
    response = api.get("/ping")

    assert response.status_code == 503
    body = response.json()
    assert body["message"] == "unavailable"
    assert set(body["failed"]) == {"broker"}


def test_version_is_plain_text_from_pyproject(client):
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())

    response = client.get("/version")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == pyproject["project"]["version"]


def test_version_refuses_other_methods_with_a_json_message(client):
    response = client.post("/version")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"message": 'Method "POST" not allowed.'}


def test_operations_is_empty_without_drivers(api, monkeypatch):
    monkeypatch.setattr(drivers, "_DRIVERS", {})

    assert api.get("/operations").json() == {}


def test_operations_lists_what_each_driver_declares(api, monkeypatch):
    monkeypatch.setattr(drivers, "_DRIVERS", {})

    @drivers.register
    class ExampleDriver:
        cloud_type = "example"
        operations = frozenset({Operation.REBOOT_INSTANCE, Operation.LIST_INSTANCES})

    assert api.get("/operations").json() == {"example": ["listInstances", "rebootInstance"]}


def test_operations_lists_what_the_openstack_driver_supports(api):
    operations = api.get("/operations").json()

    assert {"listProjects", "listInstances", "listImages"} <= set(operations["openstack"])
