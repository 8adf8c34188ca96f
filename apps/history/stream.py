"""The event stream's side of the history: one Hub per process (per event loop) reads the
events as they commit and hands them to every open stream, which filters them for its user.

Ids are allocated at INSERT, so a transaction may commit an id lower than one already visible.
Writers hold WRITERS_LOCK (shared) until they commit (record.py); the hub reads only while it
can take that lock exclusively, so every id up to the highest it reads is committed or never
will be: a stream resumed after the last id it delivered misses nothing and repeats nothing.
On SQLite writers are serialised anyway. PostgreSQL's NOTIFY wakes the hub at each commit;
without it (SQLite) the hub polls every EVENTS_STREAM_POLL_SECONDS.
"""

import asyncio
import functools
import logging
import weakref
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Case, IntegerField, Max, Value, When

from .choices import STATUS, EntityKind
from .models import Event
from .record import CHANNEL, WRITERS_LOCK

log = logging.getLogger(__name__)

PAGE = 500


async def read(function, *args):
    """`function(*args)`, which reads the database, on the request's thread, closing the
    connection after it: the request's connection would otherwise stay open as long as its
    stream (hours; 200 streams, 200 connections). The hub reads on a thread of its own, which
    keeps its connection."""
    return await sync_to_async(_closing)(function, *args)


def _closing(function, *args):
    try:
        return function(*args)
    finally:
        if not connection.in_atomic_block:  # (a test's transaction)
            connection.close()


def _kept(function, *args):
    try:
        return function(*args)
    except DatabaseError:
        connection.close()  # reconnected at the next read, if the database is back
        raise


ENDED = ("succeeded", "failed", "skipped")
CLOSED = None  # put on a stream's queue when the hub stopped: the client reconnects


class TooManyStreams(Exception):
    pass


@dataclass(frozen=True)
class Filters:
    """What one stream shows: the user's projects and the request's filters, each a set of
    the values an event may have (None: any)."""

    visible_projects: frozenset | None
    clouds: frozenset | None = None
    projects: frozenset | None = None
    kinds: frozenset | None = None
    action: object = None

    def _conditions(self):
        """(field, allowed values) of each filter that applies."""
        action = None if self.action is None else {self.action}
        pairs = (
            ("project_id", self.visible_projects),
            ("cloud_id", self.clouds),
            ("project_id", self.projects),
            ("kind", self.kinds),
            ("action_id", action),
        )
        return [(name, allowed) for name, allowed in pairs if allowed is not None]

    def match(self, event: Event) -> bool:
        return all(getattr(event, name) in allowed for name, allowed in self._conditions())

    def queryset(self):
        events = Event.objects.for_wire()
        for name, allowed in self._conditions():
            events = events.filter(**{f"{name}__in": allowed})
        return events


def page_after(filters: Filters, after: int, up_to: int) -> list[Event]:
    """The next events of `filters` after id `after`, up to id `up_to`, oldest first."""
    events = filters.queryset().filter(id__gt=after, id__lte=up_to).order_by("id")
    return list(events[:PAGE])


def action_ended(filters: Filters, up_to: int) -> bool:
    """Whether every item of the followed action that the stream shows has ended by event
    `up_to` (the last one sent; an action with none shown has nothing to follow)."""
    statuses = filters.queryset().filter(id__lte=up_to, kind=EntityKind.ACTION_ITEM, field=STATUS)
    ended = Case(When(new_value__in=ENDED, then=Value(1)), default=Value(0))
    items = (
        statuses.order_by()
        .values("item_id")
        .annotate(ended=Max(ended, output_field=IntegerField()))
    )
    return all(item["ended"] for item in items)


def settled_after(horizon: int) -> list[Event] | None:
    """The events after id `horizon`, oldest first, when no writer is between its INSERT and
    its commit; None when one is (try again shortly)."""
    with transaction.atomic():
        if not _no_writer_in_flight():
            return None
        return list(Event.objects.for_wire().filter(id__gt=horizon).order_by("id")[:PAGE])


def settled_latest_id() -> int | None:
    """The highest id below which every event is committed; None when a writer is in flight."""
    with transaction.atomic():
        if not _no_writer_in_flight():
            return None
        return Event.objects.aggregate(latest=Max("id"))["latest"] or 0


def _no_writer_in_flight() -> bool:
    """Takes WRITERS_LOCK until the transaction ends, if no writer holds it (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [WRITERS_LOCK])
        return cursor.fetchone()[0]


@dataclass(eq=False)
class Subscriber:
    horizon: int  # the hub's horizon when it subscribed: later events come by the queue
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)


class Hub:
    def __init__(self):
        self.subscribers: set[Subscriber] = set()
        self.open = Counter()  # open streams per user
        self.horizon = 0
        self.ready = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.executor: ThreadPoolExecutor | None = None

    def reserve(self, user_id) -> None:
        """Counts a stream of the user's, or refuses one over EVENTS_STREAM_MAX_PER_USER."""
        if self.open[user_id] >= settings.EVENTS_STREAM_MAX_PER_USER:
            raise TooManyStreams
        self.open[user_id] += 1

    def release(self, user_id) -> None:
        self.open[user_id] -= 1
        if self.open[user_id] <= 0:
            del self.open[user_id]

    async def subscribe(self) -> Subscriber:
        if self.task is None or self.task.done():
            self.ready.clear()
            self._stop()
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="event-hub")
            self.task = asyncio.create_task(self._run())
        await self.ready.wait()
        subscriber = Subscriber(self.horizon)
        self.subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Forgets a stream; the last one stops the hub (and closes its listening connection)
        until another comes."""
        self.subscribers.discard(subscriber)
        if not self.subscribers:
            self._stop()

    def _stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.executor is not None:
            self.executor.submit(connection.close)  # on its thread: the hub's connection
            self.executor.shutdown(wait=False)
            self.executor = None

    async def _run(self) -> None:
        try:
            self.horizon = await self._settled(settled_latest_id)
            self.ready.set()
            async for _ in _wakeups():
                await self._read()
        except Exception:
            log.exception("The event stream's hub stopped; streams close and clients reconnect")
            for subscriber in list(self.subscribers):
                subscriber.queue.put_nowait(CLOSED)
            raise

    async def _read(self) -> None:
        while True:
            events = await self._settled(settled_after, self.horizon)
            if not events:
                return
            self.horizon = events[-1].id
            for subscriber in self.subscribers:
                subscriber.queue.put_nowait(events)
            if len(events) < PAGE:
                return

    async def _settled(self, reading, *args):
        """`reading(*args)` on the hub's thread, once no writer is in flight."""
        loop = asyncio.get_running_loop()
        call = functools.partial(_kept, reading, *args)
        while (answer := await loop.run_in_executor(self.executor, call)) is None:
            await asyncio.sleep(0.05)
        return answer


async def _wakeups():
    """Yields at each commit of events (PostgreSQL's NOTIFY), and at least every
    EVENTS_STREAM_POLL_SECONDS."""
    poll = settings.EVENTS_STREAM_POLL_SECONDS
    if connection.vendor != "postgresql":
        while True:
            await asyncio.sleep(poll)
            yield
    import psycopg

    params = connections["default"].settings_dict
    listener = await psycopg.AsyncConnection.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )
    async with listener:
        await listener.execute(f"LISTEN {CHANNEL}")
        while True:
            async for _ in listener.notifies(timeout=poll, stop_after=1):
                pass
            yield


_HUBS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The hub of the running event loop (one under an ASGI server)."""
    loop = asyncio.get_running_loop()
    if loop not in _HUBS:
        _HUBS[loop] = Hub()
    return _HUBS[loop]
