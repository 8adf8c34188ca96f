"""Logs: every request has an id, given or made, on its response and in its log records; the
tasks it queues carry it, and a task's records have it with the task's name and id."""

import json
import logging
import uuid

import pytest

from apps.operations.tasks import sweep
from perspective.celery import REQUEST_ID_HEADER, app
from perspective.logging import current_task, request_id


def records(output) -> list[dict]:
    return [json.loads(line) for line in output.getvalue().splitlines()]


@pytest.mark.parametrize("given", ["abc-123", "Root.1_x", "a" * 64])
def test_a_plain_short_request_id_is_kept(anonymous, given):
    response = anonymous.get("/version", HTTP_X_REQUEST_ID=given)

    assert response["X-Request-ID"] == given


@pytest.mark.parametrize("given", [None, "", "a" * 65, "two words", "a\nb", "ünï", "a;b"])
def test_any_other_request_gets_a_new_uuid(anonymous, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}

    response = anonymous.get("/version", **headers)

    assert uuid.UUID(response["X-Request-ID"]).version == 4


def test_the_records_of_a_request_carry_its_id(anonymous, log_output):
    # Django logs a 401 after the middleware has answered.
    anonymous.get("/operations", HTTP_X_REQUEST_ID="req-1")

    [record] = [r for r in records(log_output) if r["logger"] == "django.request"]
    assert record["request_id"] == "req-1"
    assert record["level"] == "WARNING"


def test_records_after_the_request_have_no_request_id(anonymous, log_output):
    anonymous.get("/version")
    logging.getLogger("tests").warning("between requests")

    [record] = [r for r in records(log_output) if r["message"] == "between requests"]
    assert "request_id" not in record


@pytest.fixture
def actions_queue():
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue("actions")
        queue.clear()
        yield queue
        queue.clear()
        queue.close()


def test_a_task_queued_during_a_request_carries_its_id(actions_queue):
    token = request_id.set("req-2")
    try:
        sweep.delay()
    finally:
        request_id.reset(token)

    message = actions_queue.get(timeout=5)
    message.ack()
    assert message.headers[REQUEST_ID_HEADER] == "req-2"


@pytest.mark.django_db
def test_a_task_logs_with_its_name_its_id_and_the_request_id_it_carries(log_output):
    result = sweep.apply(headers={REQUEST_ID_HEADER: "req-3"})

    [record] = [r for r in records(log_output) if r["logger"] == "celery.app.trace"]
    assert record["request_id"] == "req-3"
    assert (record["task_name"], record["task_id"]) == (sweep.name, result.id)
    assert (request_id.get(), current_task.get()) == (None, None)
