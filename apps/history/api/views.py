"""POST /events/tickets and GET /events/stream (Server-Sent Events).

The stream is an async view, served by the ASGI process (uvicorn) so that a connection held
open for hours costs a coroutine, not one of the web's sync workers. Browsers' EventSource
cannot send headers: the page asks POST /events/tickets (token or session) for a ticket that
signs the user's id, valid EVENTS_TICKET_SECONDS, and opens /events/stream?ticket=...; a
program may send its token instead, or the session cookie comes along.
"""

import asyncio
import json
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.handlers.asgi import ASGIRequest
from django.http import JsonResponse, StreamingHttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.inventory.access import access_of
from apps.inventory.models import Cloud
from apps.jsonapi.authentication import SCHEMES, TokenAuthentication

from .. import stream
from ..choices import EntityKind
from .serializers import EventSerializer

_TICKETS = "perspective.events.stream"


class TicketSerializer(serializers.Serializer):
    ticket = serializers.CharField(help_text="For GET /events/stream?ticket=...")
    expiresIn = serializers.IntegerField(help_text="Seconds within which to open the stream.")


class TicketView(APIView):
    @extend_schema(
        summary="A ticket that opens the event stream",
        description="Browsers' EventSource cannot send the API token: it opens "
        "GET /events/stream?ticket=<ticket> instead, within `expiresIn` seconds.",
        request=None,
        responses=TicketSerializer,
    )
    def post(self, request):
        ticket = signing.TimestampSigner(salt=_TICKETS).sign_object({"user": request.user.pk})
        return Response({"ticket": ticket, "expiresIn": settings.EVENTS_TICKET_SECONDS})


class BadRequest(Exception):
    pass


async def event_stream(request):
    if request.method != "GET":
        return JsonResponse({"message": "Only GET"}, status=405, headers={"Allow": "GET"})
    if not isinstance(request, ASGIRequest):
        # A WSGI server would hold one of its workers for as long as the stream lasts, and send
        # nothing: Django reads an endless stream to its end before answering. Not served here.
        message = "Not here: the event stream is served by the stream process (an ASGI server)"
        return JsonResponse({"message": message}, status=404)
    user = await stream.read(_user, request)
    if user is None:
        message = "Authentication required: a stream ticket, a token or a session"
        return JsonResponse({"message": message}, status=401)
    try:
        filters = await stream.read(_filters, request.GET, user)
        last_id = _last_id(request)
    except BadRequest as error:
        return JsonResponse({"message": str(error)}, status=400)
    hub = stream.hub()
    try:
        hub.reserve(user.pk)
    except stream.TooManyStreams:
        most = settings.EVENTS_STREAM_MAX_PER_USER
        return JsonResponse({"message": f"At most {most} open streams per user"}, status=429)
    if last_id is None and filters.action is not None:
        last_id = 0  # following an action: from its first event
    return _EventStreamResponse(
        _events(hub, filters, last_id),
        on_close=lambda: hub.release(user.pk),
        content_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


class _EventStreamResponse(StreamingHttpResponse):
    """Releases the user's stream when the server closes the response, whether or not the
    stream was ever read."""

    def __init__(self, *args, on_close, **kwargs):
        super().__init__(*args, **kwargs)
        self._on_close = on_close

    def close(self):
        super().close()
        if self._on_close:
            self._on_close()
            self._on_close = None


async def _events(hub: stream.Hub, filters: stream.Filters, last_id: int | None):
    subscriber = await hub.subscribe()
    try:
        sent = subscriber.horizon if last_id is None else last_id
        yield "retry: 3000\n\n"
        while sent < subscriber.horizon:  # what the client missed, from the database
            page = await stream.read(stream.page_after, filters, sent, subscriber.horizon)
            if not page:
                break
            for event in page:
                yield _message(event)
            sent = page[-1].id
        if filters.action is not None and await _action_ended(filters, sent):
            return
        while True:
            try:
                events = await asyncio.wait_for(
                    subscriber.queue.get(), settings.EVENTS_STREAM_HEARTBEAT_SECONDS
                )
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            if events is stream.CLOSED:
                return
            shown = [event for event in events if event.id > sent and filters.match(event)]
            for event in shown:
                yield _message(event)
                sent = event.id
            if _may_have_ended(filters, shown) and await _action_ended(filters, sent):
                return
    finally:
        hub.unsubscribe(subscriber)


async def _action_ended(filters: stream.Filters, sent: int) -> bool:
    return await stream.read(stream.action_ended, filters, sent)


def _may_have_ended(filters: stream.Filters, events) -> bool:
    """Whether the followed action may have ended with `events`: one of its items did."""
    return filters.action is not None and any(
        e.kind == EntityKind.ACTION_ITEM and e.new_value in stream.ENDED for e in events
    )


def _message(event) -> str:
    """The event as a message, made once for all the streams the hub hands it to."""
    if not hasattr(event, "message"):
        data = json.dumps(EventSerializer(event).data, separators=(",", ":"))
        event.message = f"id: {event.id}\nevent: {event.kind}\ndata: {data}\n\n"
    return event.message


def _user(request):
    """The user of the ticket, the token, or the session; None if none is valid."""
    if ticket := request.GET.get("ticket"):
        try:
            signed = signing.TimestampSigner(salt=_TICKETS).unsign_object(
                ticket, max_age=settings.EVENTS_TICKET_SECONDS
            )
        except signing.BadSignature:
            return None
        return get_user_model().objects.filter(pk=signed["user"], is_active=True).first()
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() in (s.lower() for s in SCHEMES) and key:
        try:
            user, _ = TokenAuthentication().authenticate_credentials(key)
        except AuthenticationFailed:
            return None
        return user
    user = request.user
    return user if user.is_authenticated else None


_KINDS = {kind.value for kind in EntityKind}


def _filters(query, user) -> stream.Filters:
    unknown = set(query) - {"cloud", "project", "kind", "action", "ticket", "lastEventId"}
    if unknown:
        raise BadRequest(f"Unknown parameters {', '.join(sorted(unknown))}")
    kinds = set(query.getlist("kind"))
    if kinds - _KINDS:
        raise BadRequest(f"kind: one of {', '.join(sorted(_KINDS))}")
    actions = [_uuid(value, "action") for value in query.getlist("action")]
    if len(actions) > 1:
        raise BadRequest("action: one action at most")
    names, projects = query.getlist("cloud"), query.getlist("project")
    clouds = Cloud.objects.filter(name__in=names).values_list("id", flat=True)
    return stream.Filters(
        visible_projects=access_of(user).visible_project_ids,
        clouds=frozenset(clouds) if names else None,
        projects=frozenset(_uuid(value, "project") for value in projects) if projects else None,
        kinds=frozenset(kinds) if kinds else None,
        action=actions[0] if actions else None,
    )


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadRequest(f"{name}: {value!r} is not a valid UUID") from None


def _last_id(request) -> int | None:
    """Last-Event-ID (EventSource sends it when it reconnects), or ?lastEventId= (a new
    EventSource, with a new ticket, cannot send the header)."""
    value = request.headers.get("Last-Event-ID") or request.GET.get("lastEventId")
    if value is None:
        return None
    if not value.isdigit():
        raise BadRequest("Last-Event-ID: an event's id (a whole number)")
    return int(value)
