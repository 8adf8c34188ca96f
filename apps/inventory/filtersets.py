"""Filters of the listings under /api/ (django-filter). Repeat a parameter for any of several
values (`?state=launched&state=error`); the ranges are half-open: `_after` at or after the
time, `_before` strictly before it."""

import django_filters

from .choices import CloudType, ImageState, InstanceState
from .filters import MultipleValueFilter, RegexFilter, multiple_ids, project_ids, time_range
from .models import Cloud, Flavor, Image, Instance, Network, Project


class NamedFilterSet(django_filters.FilterSet):
    name = MultipleValueFilter(help_text="Exactly any of these names.")
    name__ic = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="The name contains this, any case."
    )
    name__regex = RegexFilter(
        field_name="name",
        help_text="The name matches this regular expression anywhere (case-sensitive).",
    )


class CloudEntityFilterSet(NamedFilterSet):
    cloud = MultipleValueFilter(field_name="cloud__name", help_text="In any of these clouds.")
    created_after, created_before = time_range("created", "Created")
    updated_after, updated_before = time_range("last_updated", "Last updated (`timestamp`)")


class ProjectEntityFilterSet(NamedFilterSet):
    cloud = MultipleValueFilter(
        field_name="project__cloud__name", help_text="In any of these clouds."
    )
    project = project_ids("project", help_text="In any of these projects.")


_TIMES = (("created", "created"), ("last_updated", "updated"))


class InstanceFilterSet(CloudEntityFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=InstanceState.choices, distinct=False)
    project = project_ids("project", help_text="In any of these projects.")
    flavor = multiple_ids("flavor", help_text="Of any of these flavors.")
    image = multiple_ids("image", help_text="From any of these images.")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("state", "state"), *_TIMES))

    class Meta:
        model = Instance
        fields = []


class ImageFilterSet(CloudEntityFilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ImageState.choices, distinct=False)
    project = project_ids("projects", distinct=True, help_text="Usable in any of these projects.")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("state", "state"), *_TIMES))

    class Meta:
        model = Image
        fields = []


class ProjectFilterSet(CloudEntityFilterSet):
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), *_TIMES))

    class Meta:
        model = Project
        fields = []


class FlavorFilterSet(ProjectEntityFilterSet):
    ordering = django_filters.OrderingFilter(fields=("name", "vcpus", "ram"))

    class Meta:
        model = Flavor
        fields = []


class NetworkFilterSet(ProjectEntityFilterSet):
    state = MultipleValueFilter(help_text="Any of these provider states, e.g. ACTIVE.")
    ordering = django_filters.OrderingFilter(fields=("name", "state"))

    class Meta:
        model = Network
        fields = []


class CloudFilterSet(NamedFilterSet):
    type = django_filters.MultipleChoiceFilter(choices=CloudType.choices, distinct=False)
    ordering = django_filters.OrderingFilter(fields=("name",))

    class Meta:
        model = Cloud
        fields = []
