"""Recording changes as history: many in one INSERT, and a wake-up for the event stream.

The sync and the actions already know what they changed; they describe it as Changes and call
record() once per batch, inside their own transaction (the rows commit, or vanish, with it).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from .models import Event

# The channel that wakes the event stream (PostgreSQL's NOTIFY, sent at commit).
CHANNEL = "perspective_events"
# A transaction that records events holds this advisory lock (shared) until it ends, so that the
# stream can tell when every id below the highest it sees is committed: see stream/hub.py.
WRITERS_LOCK = 7_170_017


@dataclass(frozen=True, slots=True)
class Cause:
    """Why something changed: a sync run, or an action's item (with its operation and user)."""

    sync_run_id: int | None = None
    action_id: UUID | None = None
    item_id: UUID | None = None
    operation: str = ""
    user: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """One changed field of one entity. `old` None: the field had no value (an entity that
    appeared); `new` None: it has none now. Values are stored as text (values_text)."""

    kind: str
    entity_id: object
    field: str
    old: object
    new: object
    name: str = ""
    cloud_id: UUID | None = None
    project_id: UUID | None = None
    cause: Cause | None = None


def record(
    changes: Iterable[Change], cause: Cause | None = None, at: datetime | None = None
) -> int:
    """Stores `changes` (each with its own cause, else `cause`) at time `at` (now), in one
    INSERT per few thousand rows; returns how many were stored."""
    at = at or timezone.now()
    rows = [_row(change, change.cause or cause or Cause(), at) for change in changes]
    if not rows:
        return 0
    if connection.in_atomic_block:
        _insert(rows)
    else:
        with transaction.atomic():  # the lock lasts until the commit
            _insert(rows)
    return len(rows)


def _insert(rows: list[Event]) -> None:
    if connection.vendor != "postgresql":
        _insert_sqlite(rows)
        return
    with connection.cursor() as cursor:
        # NOTIFY is delivered at the commit, so it can be sent before the rows are written.
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s), pg_notify(%s, '')", [WRITERS_LOCK, CHANNEL]
        )
    Event.objects.bulk_create(rows, batch_size=10_000)  # one INSERT of arrays (UNNEST)


_COLUMNS = [field for field in Event._meta.concrete_fields if not field.primary_key]


def _insert_sqlite(rows: list[Event]) -> None:
    """One INSERT of all `rows` from a JSON array, one parameter: Django's bulk_create would
    send one INSERT per 999 parameters (66 rows)."""
    values = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in _COLUMNS]
        for row in rows
    ]
    names = ", ".join(connection.ops.quote_name(field.column) for field in _COLUMNS)
    picked = ", ".join(f"json_extract(value, '$[{number}]')" for number in range(len(_COLUMNS)))
    table = connection.ops.quote_name(Event._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) SELECT {picked} FROM json_each(%s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(values)])


def _row(change: Change, cause: Cause, at: datetime) -> Event:
    return Event(
        time=at,
        cloud_id=change.cloud_id,
        project_id=change.project_id,
        kind=change.kind,
        entity_id=str(change.entity_id),
        name=change.name or "",
        field=change.field,
        old_value=value_text(change.old),
        new_value=value_text(change.new),
        sync_run_id=cause.sync_run_id,
        action_id=cause.action_id,
        item_id=cause.item_id,
        operation=cause.operation,
        user=cause.user,
    )


def value_text(value) -> str | None:
    """A field's value as the history stores it: ids and names as text, timestamps in ISO
    8601, booleans as true/false, lists and mappings as JSON with sorted keys."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)
