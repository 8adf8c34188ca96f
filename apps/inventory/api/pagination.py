"""Cursor pagination of the listings under /api/, on the whole sort key.

DRF's CursorPagination places its cursor by the first ordering field alone, plus an offset among
the rows sharing that value; ordered by a value many rows share (a state), the offset outgrows
its cap and pages repeat, and a NULL position cannot be read back. Here the cursor holds every
field of the ordering, ended by the primary key, and a page is the rows after it (a keyset):
each row is on exactly one page, and a page deep in the list costs what the first one does.
"""

import base64
import binascii
import json
import operator
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import F, Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import replace_query_param

from ..filters import in_utc


@dataclass(frozen=True)
class SortKey:
    """One field of the ordering and its direction."""

    field: models.Field
    descending: bool = False

    @property
    def spelled(self) -> str:
        return f"-{self.field.name}" if self.descending else self.field.name

    def reversed(self) -> "SortKey":
        return SortKey(self.field, not self.descending)

    def order_by(self):
        column = F(self.field.name)
        if not self.field.null:
            return column.desc() if self.descending else column.asc()
        # NULLs after the values (before them, descending) on every database, so that the
        # reversed ordering, which the previous page uses, is the exact mirror.
        return column.desc(nulls_first=True) if self.descending else column.asc(nulls_last=True)

    def after(self, value) -> Q | None:
        """The rows placed after `value` by this field alone; None when no row can be."""
        name = self.field.name
        if value is None:
            return Q(**{f"{name}__isnull": False}) if self.descending else None
        beyond = Q(**{f"{name}__lt" if self.descending else f"{name}__gt": value})
        if self.field.null and not self.descending:
            beyond |= Q(**{f"{name}__isnull": True})
        return beyond

    def from_(self, value) -> Q | None:
        """The rows placed at `value` or after it by this field alone; None when all are."""
        name = self.field.name
        if value is None:
            return None if self.descending else Q(**{f"{name}__isnull": True})
        bound = Q(**{f"{name}__lte" if self.descending else f"{name}__gte": value})
        if self.field.null and not self.descending:
            bound |= Q(**{f"{name}__isnull": True})
        return bound

    def equal(self, value) -> Q:
        name = self.field.name
        return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def keys_of(queryset, default: tuple[str, ...]) -> list[SortKey]:
    """The ordering of `queryset` (or `default`) as sort keys, ended by the primary key."""
    meta = queryset.model._meta
    keys = []
    for spelled in queryset.query.order_by or default:
        name = spelled.lstrip("-")
        field = meta.pk if name == "pk" else meta.get_field(name)
        if all(key.field != field for key in keys):
            keys.append(SortKey(field, spelled.startswith("-")))
    if all(key.field != meta.pk for key in keys):
        keys.append(SortKey(meta.pk))
    return keys


def after(keys: list[SortKey], position: list) -> Q:
    """The rows that come after `position` in the order of `keys`."""
    alternatives = []
    same = Q()
    for key, value in zip(keys, position, strict=True):
        beyond = key.after(value)
        if beyond is not None:
            alternatives.append(same & beyond)
        same &= key.equal(value)
    condition = reduce(operator.or_, alternatives)
    # The first field's range again, on its own: the databases then read its index from the
    # position on, rather than from the start of the list.
    bound = keys[0].from_(position[0])
    return condition if bound is None else bound & condition


@dataclass(frozen=True)
class Cursor:
    ordering: list[str]
    position: list
    reverse: bool


class ListingPagination(CursorPagination):
    """`page_size` rows (default 100, at most 1,000) after the cursor, in the ordering of the
    filtered queryset (or the view's `ordering`) with the primary key as the tie-breaker."""

    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"
    page_size_query_description = "Rows per page: 100 unless given; more than 1000 is cut to 1000."
    invalid_cursor_message = "Invalid cursor: pass the `next` or `previous` link as it is"
    cursor_query_description = "From the `next` or `previous` link, as it is; any other is a 400."

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.keys = keys_of(queryset, getattr(view, "ordering", ()))
        self.cursor = self.decode_cursor(request)
        reverse = bool(self.cursor and self.cursor.reverse)
        keys = [key.reversed() for key in self.keys] if reverse else self.keys
        queryset = queryset.order_by(*(key.order_by() for key in keys))
        if self.cursor:
            queryset = queryset.filter(after(keys, self.cursor.position))
        rows = list(queryset[: self.page_size + 1])
        self.page = rows[: self.page_size]
        more = len(rows) > self.page_size
        if reverse:
            self.page.reverse()
        # Going forward, the rows before the page exist when a cursor led here; backward,
        # the rows after it do.
        self.has_next = more if not reverse else True
        self.has_previous = more if reverse else self.cursor is not None
        self.display_page_controls = self.has_next or self.has_previous
        return self.page

    def get_schema_operation_parameters(self, view):
        """DRF's, with the limits the server enforces."""
        parameters = super().get_schema_operation_parameters(view)
        limits = {
            self.cursor_query_param: {"minLength": 1, "pattern": "^[A-Za-z0-9_=-]+$"},
            self.page_size_query_param: {"minimum": 1},
        }
        for parameter in parameters:
            parameter["schema"].update(limits.get(parameter["name"], {}))
        return parameters

    def get_page_size(self, request):
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        if not given.isdigit() or int(given) < 1:
            raise ValidationError(
                {self.page_size_query_param: f"A whole number from 1 to {self.max_page_size}"}
            )
        return min(int(given), self.max_page_size)

    def get_next_link(self):
        if not (self.has_next and self.page):
            return None
        return self.encode_cursor(Cursor(self._spelled(), self._position(self.page[-1]), False))

    def get_previous_link(self):
        if not (self.has_previous and self.page):
            return None
        return self.encode_cursor(Cursor(self._spelled(), self._position(self.page[0]), True))

    def encode_cursor(self, cursor: Cursor) -> str:
        data = {"o": cursor.ordering, "p": [_dumped(value) for value in cursor.position]}
        if cursor.reverse:
            data["r"] = 1
        token = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        return replace_query_param(self.base_url, self.cursor_query_param, token.decode())

    def decode_cursor(self, request) -> Cursor | None:
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode()))
            ordering, raw, reverse = data["o"], data["p"], bool(data.get("r"))
        except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
            raise self._invalid() from None
        if ordering != self._spelled():
            raise ValidationError(
                {self.cursor_query_param: "The cursor is of another ordering: start without it"}
            )
        if not isinstance(raw, list) or len(raw) != len(self.keys):
            raise self._invalid()
        try:
            position = [
                _loaded(key.field, value) for key, value in zip(self.keys, raw, strict=True)
            ]
        except (DjangoValidationError, ValueError, TypeError, AttributeError, OverflowError):
            raise self._invalid() from None
        return Cursor(ordering, position, reverse)

    def _invalid(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: self.invalid_cursor_message})

    def _spelled(self) -> list[str]:
        return [key.spelled for key in self.keys]

    def _position(self, row) -> list:
        return [getattr(row, key.field.attname) for key in self.keys]


def _dumped(value):
    """A position's value as JSON; the field's to_python reads it back."""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if isinstance(value, UUID) else value


def _loaded(field: models.Field, value):
    """A position's value read back; what no row could hold (NUL, out of range) is refused."""
    if value is None:
        return None
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL in a cursor")
    value = field.to_python(value)
    field.run_validators(value)
    return in_utc(value) if isinstance(value, datetime) else value
