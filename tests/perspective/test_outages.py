"""A database or a broker that does not answer: every endpoint answers 503 with a JSON message
and Retry-After (never a traceback, never a 500), /ping names the part without saying where it
is, /live leaves the broker out, and runserver starts all the same."""

import json
import os
import sys
import uuid

import pytest
import requests
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory

from apps.inventory import factories
from perspective.errors import handler500
from tests.processes import free_port, kill, start, wait_for

pytestmark = pytest.mark.django_db

WHERE = "10.9.8.7"  # in the error: it must not reach clients


@pytest.fixture
def database_down(db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(f'connection to server at "{WHERE}", port 5432 failed: refused')

    monkeypatch.setattr(connection, "create_cursor", refuse)


def assert_unavailable(response, message: str) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "10"
    assert json.loads(response.content)["message"] == message
    assert WHERE not in response.content.decode()


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize(
    "path", [f"/instances/{uuid.uuid4()}", "/api/instances/", "/notifications"]
)
def test_an_endpoint_answers_503_while_the_database_is_down(
    api, database_down, settings, debug, path
):
    settings.DEBUG = debug

    response = api.get(path)

    assert_unavailable(response, "The database is unavailable; try again shortly")


def test_the_admin_answers_503_while_the_database_is_down(admin_client, database_down):
    response = admin_client.get("/admin/inventory/instance/")

    assert_unavailable(response, "The database is unavailable; try again shortly")


def test_a_batch_action_answers_503_while_the_database_is_down(api, database_down):
    response = api.put("/instances/reboot", ["x"], format="json")

    assert_unavailable(response, "The database is unavailable; try again shortly")


def test_a_database_error_outside_a_view_is_a_503_too(rf: RequestFactory):
    try:
        raise OperationalError(f"server at {WHERE} closed the connection unexpectedly")
    except OperationalError:
        response = handler500(rf.get("/"))

    assert_unavailable(response, "The database is unavailable; try again shortly")


def test_other_crashes_stay_500():
    try:
        raise ValueError("a bug")
    except ValueError:
        response = handler500(RequestFactory().get("/"))

    assert response.status_code == 500


@pytest.mark.parametrize("path", ["/ping", "/live"])
def test_health_checks_name_the_database_without_saying_where_it_is(anonymous, database_down, path):
    response = anonymous.get(path)

    assert_unavailable(response, "unavailable")
    assert response.json()["failed"] == {"database": "does not answer"}


@pytest.mark.usefixtures("broker_down")
def test_ping_names_the_broker_and_live_leaves_it_out(anonymous):
    ping, live = anonymous.get("/ping"), anonymous.get("/live")

    assert_unavailable(ping, "unavailable")
    assert ping.json()["failed"] == {"broker": "does not answer"}
    assert (live.status_code, live.json()) == (200, {"message": "ok"})


@pytest.mark.usefixtures("broker_down")
def test_reads_and_batch_actions_work_while_the_broker_is_down(api):
    instance = factories.InstanceFactory(state="launched")

    read = api.get(f"/instances/{instance.id}")
    action = api.put("/instances/reboot", [str(instance.id)], format="json")

    assert read.status_code == 200
    assert action.status_code == 200  # recorded; the sweep hands it over later


def test_runserver_starts_while_the_database_is_down(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "perspective.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://perspective@127.0.0.1:{free_port()}/perspective",
        "PERSPECTIVE_VAR_DIR": str(tmp_path),
    }
    log = tmp_path / "runserver.log"
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = start(command, env, settings.BASE_DIR, log)
    try:
        wait_for(lambda: "Starting development server" in log.read_text(), 30, "runserver")
        response = requests.get(f"http://127.0.0.1:{port}/live", timeout=10)
    finally:
        kill(server)

    assert response.status_code == 503
    assert response.json() == {"message": "unavailable", "failed": {"database": "does not answer"}}
    assert "The database does not answer" in log.read_text()
