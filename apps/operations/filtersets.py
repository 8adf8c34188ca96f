"""Filters of GET /notifications and GET /api/actions/."""

import django_filters
from django.db.models import Exists, OuterRef

from apps.clouds.choices import Operation
from apps.inventory.filters import (
    BooleanFilter,
    LenientIsoDateTimeFilter,
    MultipleValueFilter,
    multiple_ids,
    time_range,
)

from .choices import ItemStatus
from .models import Action, ActionItem, Notification
from .visibility import visible_items


class NotificationFilterSet(django_filters.FilterSet):
    since = LenientIsoDateTimeFilter(field_name="created_at", lookup_expr="gt")
    open = BooleanFilter(
        field_name="acknowledged_at",
        lookup_expr="isnull",
        help_text="`true`: only the letters no one has acknowledged yet; `false`: only the "
        "acknowledged ones.",
    )

    class Meta:
        model = Notification
        fields = []


class ActionFilterSet(django_filters.FilterSet):
    operation = django_filters.MultipleChoiceFilter(
        choices=Operation.choices, distinct=False, help_text="Any of these operations."
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ItemStatus.choices,
        field_name="items__status",
        method="filter_status",
        help_text="Actions with at least one item in any of these statuses.",
    )
    project = multiple_ids(
        "items__project",
        method="filter_project",
        help_text="Actions with an item in any of these projects.",
    )
    cloud = MultipleValueFilter(
        field_name="items__cloud__name",
        method="filter_cloud",
        help_text="Actions with an item in any of these clouds (cloudId).",
    )
    user = MultipleValueFilter(
        field_name="requested_by__username", help_text="Asked for by any of these users."
    )
    requested_after, requested_before = time_range("requested_at", "Asked for")
    ordering = django_filters.OrderingFilter(
        fields=(("requested_at", "requested"), ("operation", "operation"))
    )

    class Meta:
        model = Action
        fields = []

    def filter_status(self, queryset, name, value):
        return self._with_items(queryset, status__in=value) if value else queryset

    def filter_project(self, queryset, name, value):
        return self._with_items(queryset, project__in=value) if value else queryset

    def filter_cloud(self, queryset, name, value):
        return self._with_items(queryset, cloud__name__in=value) if value else queryset

    def _with_items(self, queryset, **item_filter):
        """The actions with at least one item matching `item_filter` among those the user
        sees: an item in a hidden project must not make its action match."""
        items = ActionItem.objects.filter(
            visible_items(self.request.user), action=OuterRef("pk"), **item_filter
        )
        return queryset.filter(Exists(items))
