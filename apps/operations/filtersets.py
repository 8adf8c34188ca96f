"""Filters of GET /notifications."""

import django_filters
from django_filters.fields import IsoDateTimeField

from .models import Notification


class _LenientIsoDateTimeField(IsoDateTimeField):
    """An unencoded `+02:00` offset arrives in a query string as ` 02:00`."""

    def strptime(self, value, format):
        return super().strptime(value.strip().replace(" ", "+"), format)


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = _LenientIsoDateTimeField


class NotificationFilterSet(django_filters.FilterSet):
    since = SinceFilter(field_name="created_at", lookup_expr="gt")

    class Meta:
        model = Notification
        fields = []
