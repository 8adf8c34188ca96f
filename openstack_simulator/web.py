"""Requests, responses and routing shared by the simulated services."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openstack_simulator.identity import Token
    from openstack_simulator.state import Cloud, Region


class ApiError(Exception):
    """An error answer; each service renders ``message`` in its own format."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.body = body


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


# Compact UTF-8 JSON; skipping ASCII escaping and the circularity check makes encoding
# 100,000s of servers about a third faster.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def dumps(data: Any) -> bytes:
    return _ENCODER.encode(data).encode()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(status, dumps(data), headers or {})


def no_content(status: int = 204, headers: dict[str, str] | None = None) -> Response:
    return Response(status, b"", headers or {}, content_type="")


@dataclass
class Request:
    method: str
    path: str  # relative to the service's root, e.g. "/v2.1/servers/detail"
    query: dict[str, list[str]]
    headers: Message
    body: bytes
    host_url: str  # "http://127.0.0.1:5000", from the Host header
    service_url: str  # the service's unversioned root, e.g. ".../RegionOne/compute"
    cloud: "Cloud"
    region: "Region | None" = None
    token: "Token | None" = None
    microversion: tuple[int, int] = (2, 1)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            raise ApiError(400, "Malformed request body") from None

    def json_object(self, key: str) -> dict[str, Any]:
        """The body's ``{key: {...}}`` member; 400 when it is missing or not an object."""
        body = self.json()
        value = body.get(key) if isinstance(body, dict) else None
        if not isinstance(value, dict):
            raise ApiError(400, f"Invalid input: '{key}' is a required property")
        return value

    def int_arg(self, name: str, default: int | None = None) -> int | None:
        value = self.arg(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ApiError(400, f"{name} param must be an integer") from None
        if number < 0:
            raise ApiError(400, f"{name} param must be positive")
        return number


Handler = Callable[..., Response]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    public: bool


@dataclass
class Match:
    route: Route | None
    params: dict[str, str]
    method_allowed: bool

    @property
    def public(self) -> bool:
        return self.route is not None and self.route.public


class Router:
    """Maps a method and a path like ``/v2.1/servers/{id}`` to a handler."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self, method: str, template: str, public: bool = False
    ) -> Callable[[Handler], Handler]:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        pattern = re.compile(f"^{regex}/?$")

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, pattern, handler, public))
            return handler

        return register

    def match(self, method: str, path: str) -> Match:
        path_known = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found:
                if route.method == method:
                    return Match(route, found.groupdict(), True)
                path_known = True
        return Match(None, {}, not path_known)

    def dispatch(self, match: Match, request: Request) -> Response:
        if match.route is None:
            if match.method_allowed:
                raise ApiError(404, "The resource could not be found.")
            raise ApiError(405, "The method is not allowed for the requested URL.")
        return match.route.handler(request, **match.params)


ErrorBody = Callable[[int, str], tuple[bytes, str]]


@dataclass(frozen=True)
class Service:
    """One API: its catalog type, routes, error format, and an optional wrapper around
    its handlers (Nova's microversions)."""

    type: str
    router: Router
    error_body: ErrorBody
    handle: Callable[[Request, Match], Response] | None = None

    def respond(self, request: Request, match: Match) -> Response:
        try:
            if self.handle:
                return self.handle(request, match)
            return self.router.dispatch(match, request)
        except ApiError as error:
            return self.error(error)

    def error(self, error: ApiError) -> Response:
        if error.body is not None:
            body, content_type = dumps(error.body), "application/json"
        else:
            body, content_type = self.error_body(error.status, error.message)
        return Response(error.status, body, dict(error.headers), content_type)


def region_of(request: Request) -> "Region":
    if request.region is None:
        raise ApiError(404, "The resource could not be found.")
    return request.region


def token_of(request: Request) -> "Token":
    if request.token is None:
        raise ApiError(401, "The request you have made requires authentication.")
    return request.token


def paginate(
    items: list[Any], key: Callable[[Any], str], marker: str | None, limit: int
) -> list[Any]:
    """The ``limit`` items after the one whose key is ``marker``; 400 for an unknown marker."""
    start = 0
    if marker:
        keys = [key(item) for item in items]
        if marker not in keys:
            raise ApiError(400, f"marker [{marker}] not found")
        start = keys.index(marker) + 1
    return items[start : start + limit]
