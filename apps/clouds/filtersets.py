"""Filters of GET /api/syncs/."""

import django_filters

from apps.inventory.filters import BooleanFilter, IntegerIdsFilter, MultipleValueFilter, time_range

from .choices import SyncKind, SyncStatus
from .models import SyncRun


class SyncRunFilterSet(django_filters.FilterSet):
    id = IntegerIdsFilter(help_text="Any of these runs.")
    cloud = MultipleValueFilter(field_name="cloud__name", help_text="Of any of these clouds.")
    kind = django_filters.MultipleChoiceFilter(choices=SyncKind.choices, distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=SyncStatus.choices, distinct=False)
    latest = BooleanFilter(
        method="filter_latest",
        help_text="`true`: only the latest run of each kind of each cloud, skipped runs aside "
        "(what the admin's overview shows).",
    )
    queued_after, queued_before = time_range("queued_at", "Queued")

    class Meta:
        model = SyncRun
        fields = []

    def filter_latest(self, queryset, name, value):
        return queryset.latest_of_each_kind() if value else queryset
