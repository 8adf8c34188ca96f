"""Filters of GET /api/events/."""

import django_filters

from apps.inventory.filters import (
    IntegerIdsFilter,
    MultipleValueFilter,
    multiple_ids,
    project_ids,
    time_range,
)
from apps.inventory.models import Cloud

from .choices import EntityKind
from .models import Event


class EventFilterSet(django_filters.FilterSet):
    cloud = MultipleValueFilter(
        field_name="cloud_id", method="filter_cloud", help_text="In any of these clouds (cloudId)."
    )
    project = project_ids("project_id", help_text="In any of these projects.")
    kind = django_filters.MultipleChoiceFilter(
        choices=EntityKind.choices, distinct=False, help_text="Of any of these kinds of entity."
    )
    entity = MultipleValueFilter(field_name="entity_id", help_text="Of any of these entities.")
    field = MultipleValueFilter(help_text="Changes of any of these fields (status, state, ...).")
    action = multiple_ids("action_id", help_text="Caused by any of these actions.")
    sync_run = IntegerIdsFilter(
        field_name="sync_run_id", help_text="Seen by any of these sync runs."
    )
    time_after, time_before = time_range("time", "Happened")

    class Meta:
        model = Event
        fields = []

    def filter_cloud(self, queryset, name, value):
        clouds = Cloud.objects.filter(name__in=value).values("id")
        return queryset.filter(cloud_id__in=clouds) if value else queryset
