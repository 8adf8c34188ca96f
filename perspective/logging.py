"""What every log record says about the work it belongs to: the id of the web request (carried
into the Celery tasks the request queues, see perspective.celery) and, in a worker, the task.

LOGGING in the settings puts `ContextFilter` on the console handler and writes records as JSON
lines (`LOG_FORMAT=json`, production) or as plain text (development).
"""

import logging
import re
from collections.abc import Mapping
from contextvars import ContextVar, Token

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
current_task: ContextVar[tuple[str, str] | None] = ContextVar("current_task", default=None)

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class ContextFilter(logging.Filter):
    """Adds `request_id` (in a request, or a task it queued) and `task_name` and `task_id` (in
    a task) to each record; absent when unknown, so the JSON lines carry only what is known."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = request_id.get()
        if current and getattr(record, "request_id", None) is None:
            record.request_id = current
        task = current_task.get()
        if task:
            record.task_name, record.task_id = task
        return True


class HiddenTickets(logging.Filter):
    """Django logs a refused request with its URL, query string included: a stream ticket in
    it (GET /events/stream?ticket=...) opens a stream for a minute, so it is hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and "ticket=" in (shown := repr(request)):
            record.request = _TICKET.sub(r"\1[hidden]", shown)
        return True


_TICKET = re.compile(r"(ticket=)[^&'\s]*")


class AccessLogFields(logging.Filter):
    """gunicorn's access log records: a few fields of the request and its id (from the response
    header), picked from gunicorn's atoms by name: they also hold every request header,
    Authorization included."""

    FIELDS = {
        "m": "method",
        "U": "path",
        "s": "status",
        "M": "duration_ms",
        "B": "response_bytes",
        "h": "remote_addr",
        "{x-request-id}o": "request_id",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            for atom, field in self.FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-"):
                    setattr(record, field, value)
        return True


def plain_formatter() -> logging.Formatter:
    return logging.Formatter(PLAIN_FORMAT, defaults={"request_id": "-"})


_task_tokens: dict[str, tuple[Token, Token | None]] = {}


def enter_task(name: str, task_id: str, carried_request_id: str | None) -> None:
    """In a worker, before a task runs: its name and id, and the request id its message carries
    (without one, as in a task run eagerly inside a request, the current request id stays)."""
    carried = request_id.set(carried_request_id) if carried_request_id else None
    _task_tokens[task_id] = (current_task.set((name, task_id)), carried)


def leave_task(task_id: str) -> None:
    """After the task: what was current before it is current again."""
    tokens = _task_tokens.pop(task_id, None)
    if tokens is None:
        return
    task, carried = tokens
    current_task.reset(task)
    if carried is not None:
        request_id.reset(carried)
