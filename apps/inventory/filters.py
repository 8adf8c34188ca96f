"""Filter types of the API's filtersets (django-filter): a query parameter that is not valid is
a 400 with a message naming it, never a failed database query."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.db import DataError, connection, transaction
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from . import regexp
from .access import access_of


class _LenientIsoDateTimeField(IsoDateTimeField):
    """An unencoded `+02:00` offset arrives in a query string as ` 02:00`; a time that is no
    time in UTC (`9999-12-31T23:59:59-23:59`) is an error, not a crash of the query."""

    def strptime(self, value, format):
        return super().strptime(value.strip().replace(" ", "+"), format)

    def to_python(self, value):
        if value == "":  # given, but no time: the schema's date-time refuses it too
            raise forms.ValidationError("Enter a date and time, e.g. 2026-12-02T10:00:00+00:00.")
        value = super().to_python(value)
        try:
            return value and in_utc(value)
        except OverflowError:
            raise forms.ValidationError(OUT_OF_RANGE) from None


OUT_OF_RANGE = "Out of the range of times: years 1 to 9999 in UTC."


def in_utc(moment: datetime) -> datetime:
    """`moment` in UTC; OverflowError when that falls outside years 1 to 9999."""
    return moment.astimezone(UTC) if moment.tzinfo else moment


class LenientIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _LenientIsoDateTimeField


class _BooleanField(forms.NullBooleanField):
    """`true` or `false`; anything else is an error, not quietly no filter at all."""

    widget = forms.TextInput  # hands over the text as sent

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return {"true": True, "false": False}[value.lower()]
        except KeyError:
            raise forms.ValidationError("Expected true or false.") from None


class BooleanFilter(django_filters.BooleanFilter):
    field_class = _BooleanField


def time_range(field_name: str, happened: str) -> tuple:
    """The `_after` (at or after) and `_before` (strictly before) filters of a time field;
    `happened` starts their descriptions ("Created")."""
    return tuple(
        LenientIsoDateTimeFilter(
            field_name=field_name, lookup_expr=lookup, help_text=f"{happened} {when} this time."
        )
        for lookup, when in (("gte", "at or after"), ("lt", "before"))
    )


class _MultipleValueField(forms.Field):
    """Every value of a repeated query parameter (`?cloud=a&cloud=b`), each cleaned by `child`."""

    widget = forms.SelectMultiple  # reads every value of the parameter

    def __init__(self, *, child: forms.Field | None = None, **kwargs):
        super().__init__(**kwargs)
        self.child = child or forms.CharField()

    def clean(self, value):
        """Empty values are no filter (`?cloud=` is every cloud), as for the other filters."""
        return [self.child.clean(item) for item in value or [] if item != ""]


class MultipleValueFilter(django_filters.MultipleChoiceFilter):
    """Rows whose field is any of the values given; values that match nothing are not an error
    (an id the user may not see is the same as an unknown one). A MultipleChoiceFilter without
    choices, so that the OpenAPI schema shows it as a repeated parameter."""

    field_class = _MultipleValueField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        qs = self.get_method(qs)(**{f"{self.field_name}__in": value})
        return qs.distinct() if self.distinct else qs


MAX_BIGINT = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_BIGINT})
class IntegerIdsFilter(MultipleValueFilter):
    """Rows with any of these integer ids (sync runs), shown in the schema as the integers they
    are; one that is no positive bigint is a 400, not a failed query."""

    def __init__(self, **kwargs):
        super().__init__(child=forms.IntegerField(min_value=1, max_value=MAX_BIGINT), **kwargs)


def multiple_ids(field_name: str, **kwargs) -> MultipleValueFilter:
    """Rows related to any of the public ids (UUIDs) given; a malformed id is a 400."""
    return MultipleValueFilter(field_name=field_name, child=forms.UUIDField(), **kwargs)


class _ProjectIdsFilter(MultipleValueFilter):
    def filter(self, qs, value):
        visible = access_of(self.parent.request.user).visible_project_ids
        if value and visible is not None:
            value = [project for project in value if project in visible]
            if not value:
                return qs.none()
        return super().filter(qs, value)


def project_ids(field_name: str, **kwargs) -> MultipleValueFilter:
    """Rows related to any of these projects among those the user sees: a hidden project's id
    filters as one that does not exist (an image shared with it must not tell)."""
    return _ProjectIdsFilter(field_name=field_name, child=forms.UUIDField(), **kwargs)


class _RegexField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value:
            error = regex_error(value)
            if error:
                raise forms.ValidationError(f"Not a regular expression the database reads: {error}")
        return value


class RegexFilter(django_filters.CharFilter):
    """Rows whose field matches the regular expression anywhere, case-sensitive, as /query's
    REGEXP: Python's syntax on SQLite (regexp.py, which stops runaway matches), PostgreSQL's
    own there."""

    field_class = _RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "regex")
        super().__init__(*args, **kwargs)


def regex_error(pattern: str) -> str | None:
    """Why the database cannot read `pattern` as a regular expression; None when it can."""
    if connection.vendor == "postgresql":
        try:
            # A savepoint: the failed statement must not spoil a transaction already open.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT '' ~ %s", [pattern])
        except DataError as error:
            return str(error.__cause__ or error).strip().splitlines()[0]
        return None
    try:
        regexp.check(pattern)
    except regexp.PatternError as error:
        return str(error)
    return None
