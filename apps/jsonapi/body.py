"""Reading a request body as JSON, with one limit, one content-type rule and one wording.

The body is read as JSON when it is declared JSON, nothing, or one of the types clients send by
default: the wiki's curl examples (`curl -X PUT --data '[...]'`) declare a form. A body declared
as anything else (XML, a multipart form) is 415."""

import json

from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, UnsupportedMediaType

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32  # the deepest body of the API is 4 levels; a deeper one is not ours
READ_AS_JSON = {
    "",
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
}


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"The request body is larger than {MAX_BODY_BYTES} bytes"


def read_json(request):
    """The body as JSON, or the 400, 413 or 415 that says why it cannot be."""
    _check_type(request.META.get("CONTENT_TYPE", ""))
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:  # not even read
        raise BodyTooLarge
    if len(request.body) > MAX_BODY_BYTES:
        raise BodyTooLarge
    try:
        data = json.loads(request.body or b"null", object_pairs_hook=_unique_keys)
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:
        raise ParseError(f"Cannot read the body as JSON: {exc}") from None
    _check_values(data)
    return data


def _check_type(content_type: str) -> None:
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in READ_AS_JSON and not media_type.endswith("+json"):
        raise UnsupportedMediaType(
            media_type, f"The body must be JSON (application/json), not {media_type}"
        )


def _unique_keys(pairs):
    """A JSON object, refusing a key given twice (a rename map would lose one name)."""
    data = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"the key {key!r} appears more than once")
        data[key] = value
    return data


def _check_values(data) -> None:
    """No deeper than MAX_DEPTH, and text only that a database can store: no NUL character,
    no lone surrogate (`"\\ud800"`). Walked without recursion, so that no depth breaks it."""
    pending = [(data, "body", 0)]
    while pending:
        value, where, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        if isinstance(value, str):
            _check_text(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, f"{where} key {key!r}")
                pending.append((item, f"{where}[{key!r}]", depth + 1))
        elif isinstance(value, list):
            pending.extend((item, f"{where}[{n}]", depth + 1) for n, item in enumerate(value))


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise ParseError(f"{where}: text must not contain the NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(f"{where}: text must be valid Unicode, not a lone surrogate") from None


def _too_deep() -> ParseError:
    return ParseError(f"The body is nested more than {MAX_DEPTH} levels deep")
