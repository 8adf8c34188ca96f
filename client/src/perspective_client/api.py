"""Perspective's HTTP API through httpx: timeouts, retries of what is safe to retry, waits
where the server asks for them (429 Retry-After), and every failure turned into one sentence
with its exit code."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from . import __version__
from .config import Server
from .errors import AuthFailed, BadUsage, Failed, NotFound, Unreachable

CONNECT_RETRIES = 2  # a connection refused or reset before the request left: safe for any method
RATE_LIMIT_WAITS = 5  # 429s waited out before giving up
UNAVAILABLE_RETRIES = 3  # 502/503/504 answers to a GET, retried after 1, 2, 4 s
MAX_WAIT = 300.0

_NO_BODY = object()


class Api:
    def __init__(self, server: Server, *, say: Callable[[str], None], timeout: float = 30.0):
        self.server = server
        self.timeout = timeout
        self._say = say
        self._http = httpx.Client(
            base_url=server.url,
            headers={
                "Authorization": f"Token {server.token}",
                "Accept": "application/json",
                "User-Agent": f"perspective-client/{__version__}",
            },
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=httpx.HTTPTransport(retries=CONNECT_RETRIES),
        )

    def get(self, path: str, params: dict | None = None) -> Any:
        return self.send("GET", path, params=params)

    def post(self, path: str, body: Any = _NO_BODY) -> Any:
        return self.send("POST", path, body=body)

    def put(self, path: str, body: Any) -> Any:
        return self.send("PUT", path, body=body)

    def pages(self, path: str, params: dict | None = None, limit: int | None = None) -> Iterator:
        """The items of a listing under /api/, following its `next` links."""
        params = dict(params or {})
        params.setdefault("page_size", min(limit or 1000, 1000))
        url: str | None = path
        count = 0
        while url:
            page = self.get(url, params)
            params = None  # the next link carries them
            for item in page["results"]:
                yield item
                count += 1
                if limit is not None and count >= limit:
                    return
            url = page["next"]

    def send(self, method: str, path: str, *, params=None, body: Any = _NO_BODY) -> Any:
        waited = unavailable = 0
        while True:
            response = self._request(method, path, params, body)
            status = response.status_code
            if status == 429 and waited < RATE_LIMIT_WAITS:
                waited += 1
                seconds = _retry_after(response)
                self._say(
                    f"{self.server.url} is rate limiting requests (429): waiting {seconds:g} s, "
                    "as its Retry-After asks"
                )
                time.sleep(seconds)
                continue
            if status in (502, 503, 504) and method == "GET" and unavailable < UNAVAILABLE_RETRIES:
                seconds = 2.0**unavailable
                unavailable += 1
                self._say(f"{self.server.url} answered {status}: trying again in {seconds:g} s")
                time.sleep(seconds)
                continue
            return self._answer(response)

    def _request(self, method, path, params, body) -> httpx.Response:
        kwargs = {} if body is _NO_BODY else {"json": body}
        try:
            return self._http.request(method, path, params=params, **kwargs)
        except httpx.TimeoutException:
            raise Unreachable(
                f"The server at {self.server.url} did not answer within {self.timeout:g} s"
            ) from None
        except httpx.TransportError as error:
            raise Unreachable(
                f"Cannot reach the server at {self.server.url}: {_reason(error)}"
            ) from None

    def _answer(self, response: httpx.Response) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return None
            try:
                return response.json()
            except ValueError:
                raise Failed(
                    f"{response.request.url} did not answer JSON: is {self.server.url} Perspective?"
                ) from None
        message = _message(response)
        if 300 <= status < 400:
            where = response.headers.get("Location", "elsewhere")
            raise BadUsage(f"{self.server.url} redirects to {where}: log in with that URL")
        if status == 401:
            raise AuthFailed(
                f"{self.server.url} refused the token ({message}): "
                f"log in again with `{self.server.login_hint}` or set PERSPECTIVE_TOKEN"
            )
        if status == 403:
            raise AuthFailed(f"Not permitted: {message}")
        if status in (400, 413, 415):
            raise BadUsage(message)
        if status in (502, 503, 504):
            raise Unreachable(
                f"The server at {self.server.url} is unavailable ({status}): {message}"
            )
        if status >= 500:
            raise Failed(f"The server at {self.server.url} failed ({status}): {message}")
        if status == 404:
            raise NotFound(message)
        raise Failed(message)


def _message(response: httpx.Response) -> str:
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        message = None
    if message:
        return str(message)
    text = " ".join(response.text.split())[:200]
    return text or f"HTTP {response.status_code}"


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(max(float(response.headers.get("Retry-After", "1")), 0.0), MAX_WAIT)
    except ValueError:
        return 1.0


def _reason(error: httpx.TransportError) -> str:
    """The innermost cause in words: `[Errno 111] Connection refused`."""
    cause: BaseException = error
    while cause.__cause__ is not None or cause.__context__ is not None:
        cause = cause.__cause__ or cause.__context__
    return str(cause) or str(error) or type(error).__name__
