"""GET /events/stream: Server-Sent Events of the history, resumed from the database, per
project, following one action to its end."""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import AsyncClient, override_settings

from apps.history.choices import EntityKind
from apps.history.models import Event
from apps.history.record import Cause, Change, record
from apps.inventory import factories
from tests.clients import client_of, granted

# Committed: the stream reads on threads of its own, with connections of their own.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_stream"),
]

URL = "/events/stream"


@pytest.fixture
def fast_stream():
    with override_settings(EVENTS_STREAM_POLL_SECONDS=0.01):
        yield


@pytest.fixture
def projects(db):
    cloud = factories.CloudFactory(name="east")
    return {
        "a": factories.ProjectFactory(cloud=cloud, region="RegionOne"),
        "b": factories.ProjectFactory(cloud=cloud, region="RegionTwo"),
    }


def changed(project, name: str, new: str = "error", **cause) -> None:
    change = Change(
        EntityKind.INSTANCE,
        f"id-{name}",
        "state",
        "launched",
        new,
        name=name,
        cloud_id=project.cloud_id,
        project_id=project.id,
    )
    record([change], Cause(**cause) if cause else Cause(sync_run_id=1))


def ticket_of(user) -> str:
    response = client_of(user).post("/events/tickets")
    assert response.status_code == 200
    return response.json()["ticket"]


def stream(params: dict, count: int, headers=None, meanwhile=None) -> list[dict]:
    """The first `count` events a client of the stream receives; `meanwhile` (recording
    more events) runs once the stream is open."""

    async def read():
        response = await AsyncClient().get(URL, params, headers=headers or {})
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "text/event-stream"
        chunks = aiter(response.streaming_content)
        received = []
        try:
            while len(received) < count:
                chunk = (await asyncio.wait_for(anext(chunks), 10)).decode()
                if chunk.startswith("retry:") and meanwhile:
                    await sync_to_async(on_own_connection(meanwhile))()
                if chunk.startswith("id:"):
                    received.append(_parsed(chunk))
        finally:
            await chunks.aclose()
            close(response)
            await hub_stopped()
        return received

    return async_to_sync(read)()


def on_own_connection(function):
    """`function`, closing the connection it opened on the thread sync_to_async runs it on."""

    def run():
        try:
            function()
        finally:
            connection.close()

    return run


async def hub_stopped() -> None:
    """Lets the hub, stopped with its last stream, close its connections before the test's
    event loop ends (a server's loop runs on)."""
    await asyncio.sleep(0.1)


def close(response) -> None:
    """Closes the response as the server does when the client leaves (which releases its
    stream), but keeps the test's database connection, as the test client does."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _parsed(message: str) -> dict:
    lines = dict(line.split(": ", 1) for line in message.strip().splitlines())
    return {"id": int(lines["id"]), "event": lines["event"], **json.loads(lines["data"])}


def test_a_client_receives_events_as_they_are_recorded(projects, admin_user):
    received = stream(
        {"ticket": ticket_of(admin_user)},
        2,
        meanwhile=lambda: [changed(projects["a"], "web-1"), changed(projects["b"], "db-1")],
    )

    assert [(e["name"], e["newValue"], e["event"]) for e in received] == [
        ("web-1", "error", "instance"),
        ("db-1", "error", "instance"),
    ]
    assert received[0]["cloudId"] == "east"


def test_resuming_after_last_event_id_gives_every_later_event_once(projects, admin_user):
    for number in range(5):
        changed(projects["a"], f"web-{number}")
    ids = list(Event.objects.order_by("id").values_list("id", flat=True))

    received = stream(
        {"ticket": ticket_of(admin_user)},
        5,
        headers={"Last-Event-ID": str(ids[1])},
        meanwhile=lambda: [changed(projects["a"], "web-5"), changed(projects["a"], "web-6")],
    )

    names = [event["name"] for event in received]
    assert names == ["web-2", "web-3", "web-4", "web-5", "web-6"]
    assert [event["id"] for event in received] == sorted(set(e["id"] for e in received))
    assert received[0]["id"] == ids[2]


def test_a_viewer_never_receives_another_projects_event(projects):
    viewer = granted("viewer-a", viewer=projects["a"])
    changed(projects["b"], "db-1")
    changed(projects["a"], "web-1")

    received = stream(
        {"ticket": ticket_of(viewer), "lastEventId": "0"},
        2,
        meanwhile=lambda: [changed(projects["b"], "db-2"), changed(projects["a"], "web-2")],
    )

    assert [event["name"] for event in received] == ["web-1", "web-2"]
    assert {event["projectId"] for event in received} == {str(projects["a"].id)}


def test_filters_by_kind_and_project(projects, admin_user):
    changed(projects["a"], "web-1")
    changed(projects["b"], "db-1")
    params = {"ticket": ticket_of(admin_user), "lastEventId": "0"}

    received = stream({**params, "project": str(projects["b"].id), "kind": "instance"}, 1)

    assert [event["name"] for event in received] == ["db-1"]


def test_following_an_action_ends_with_its_last_item(projects, admin_user):
    action = "9b2f0b4e-3a5c-4e0f-9d7e-2f1f0c7f1a11"
    item = Change(
        EntityKind.ACTION_ITEM,
        "item-1",
        "status",
        None,
        "queued",
        name="web-1",
        project_id=projects["a"].id,
        cloud_id=projects["a"].cloud_id,
    )
    cause = Cause(action_id=action, item_id="5b2f0b4e-3a5c-4e0f-9d7e-2f1f0c7f1a11")
    record([item], cause)
    done = Change(**{**_fields(item), "old": "queued", "new": "succeeded"})

    async def follow():
        response = await AsyncClient().get(URL, {"ticket": ticket, "action": action})
        chunks = [
            chunk.decode() async for chunk in _after_open(response, lambda: record([done], cause))
        ]
        close(response)
        await hub_stopped()
        return [_parsed(chunk) for chunk in chunks if chunk.startswith("id:")]

    ticket = ticket_of(admin_user)
    received = async_to_sync(follow)()

    assert [event["newValue"] for event in received] == ["queued", "succeeded"]


def _fields(change: Change) -> dict:
    return {name: getattr(change, name) for name in change.__slots__}


async def _after_open(response, meanwhile):
    """The stream's chunks until it closes; `meanwhile` runs once it is open."""
    async for chunk in response.streaming_content:
        if chunk.startswith(b"retry:"):
            await sync_to_async(on_own_connection(meanwhile))()
        yield chunk


def test_without_credentials_a_stream_is_401(projects):
    response = async_to_sync(AsyncClient().get)(URL, {"ticket": "forged"})

    assert response.status_code == 401
    assert "message" in response.json()


def test_a_bad_filter_is_400(projects, admin_user):
    response = async_to_sync(AsyncClient().get)(
        URL, {"ticket": ticket_of(admin_user), "kind": "planet"}
    )

    assert response.status_code == 400
    assert response.json()["message"].startswith("kind:")


@override_settings(EVENTS_STREAM_MAX_PER_USER=1)
def test_a_user_has_at_most_n_open_streams(projects, admin_user):
    ticket = ticket_of(admin_user)

    async def two():
        client = AsyncClient()
        first = await client.get(URL, {"ticket": ticket})
        second = await client.get(URL, {"ticket": ticket})
        close(first)
        third = await client.get(URL, {"ticket": ticket})
        close(third)
        return first.status_code, second.status_code, third.status_code

    assert async_to_sync(two)() == (200, 429, 200)


def test_a_refused_streams_ticket_is_not_logged(projects, admin_user, log_output):
    ticket = ticket_of(admin_user)

    response = async_to_sync(AsyncClient().get)(URL, {"ticket": ticket, "kind": "planet"})

    assert response.status_code == 400
    assert "events/stream" in log_output.getvalue()
    assert ticket.split(":")[-1] not in log_output.getvalue()


def test_a_wsgi_server_does_not_serve_the_stream(projects, admin_user):
    response = client_of(admin_user).get(URL)

    assert response.status_code == 404
    assert response.json()["message"] == (
        "Not here: the event stream is served by the stream process (an ASGI server)"
    )
