"""GET /api/instances/, /api/images/, /api/projects/, /api/flavors/, /api/networks/ and
/api/clouds/: filtered, cursor-paginated listings in the wire shapes, of what the user may see.

A listing's reads are cut at LISTING_TIME_LIMIT_MS (time_limit.py): a filter that would scan
too long (a heavy regular expression over many rows) is a 400 that says so, like any other
request the client has to change, rather than a connection held for minutes."""

from django.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.settings import api_settings

from .. import filtersets
from ..access import access_of
from ..models import Cloud, Flavor, Image, Instance, Network, Project
from ..time_limit import TimeLimitExceeded, time_limited
from .pagination import ListingPagination
from .serializers import (
    CloudSerializer,
    ImageSerializer,
    InstanceSerializer,
    ProjectFlavorSerializer,
    ProjectNetworkSerializer,
    ProjectSerializer,
)


class Listing(ListAPIView):
    """Rows of `queryset` in the user's projects (through `project_field`), filtered by
    `filterset_class`, a page at a time in `ordering` unless the query asks for another."""

    pagination_class = ListingPagination
    filter_backends = [DjangoFilterBackend]
    project_field = "project"
    ordering = ("name",)

    def get_queryset(self):
        return access_of(self.request.user).visible(super().get_queryset(), self.project_field)

    def list(self, request, *args, **kwargs):
        try:
            with time_limited(settings.LISTING_TIME_LIMIT_MS):
                return super().list(request, *args, **kwargs)
        except TimeLimitExceeded as error:
            raise ValidationError(error.message) from None

    def filter_queryset(self, queryset):
        self.refuse_unknown_parameters()
        return super().filter_queryset(queryset)

    def refuse_unknown_parameters(self):
        """A misspelt filter is a 400, not a listing of everything."""
        known = {
            *self.filterset_class.base_filters,
            self.paginator.cursor_query_param,
            self.paginator.page_size_query_param,
            api_settings.URL_FORMAT_OVERRIDE,
        }
        unknown = sorted(set(self.request.query_params) - known)
        if unknown:
            raise ValidationError(
                f"Unknown parameters {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )


class InstanceListing(Listing):
    queryset = Instance.objects.for_wire(many=True)
    serializer_class = InstanceSerializer
    filterset_class = filtersets.InstanceFilterSet


class ImageListing(Listing):
    queryset = Image.objects.for_wire(many=True)
    serializer_class = ImageSerializer
    filterset_class = filtersets.ImageFilterSet
    project_field = "projects"


class ProjectListing(Listing):
    queryset = Project.objects.for_wire()
    serializer_class = ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet
    project_field = "id"


class FlavorListing(Listing):
    queryset = Flavor.objects.all()
    serializer_class = ProjectFlavorSerializer
    filterset_class = filtersets.FlavorFilterSet


class NetworkListing(Listing):
    queryset = Network.objects.for_wire()
    serializer_class = ProjectNetworkSerializer
    filterset_class = filtersets.NetworkFilterSet


class CloudListing(Listing):
    """The clouds of which the user sees a project."""

    queryset = Cloud.objects.only("id", "name", "type")  # not the credentials, not decrypted
    serializer_class = CloudSerializer
    filterset_class = filtersets.CloudFilterSet
    project_field = "projects"
