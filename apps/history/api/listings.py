"""GET /api/events/: the history the user may see, newest first, a page at a time."""

from apps.inventory.api.listings import Listing

from ..filtersets import EventFilterSet
from ..models import Event
from .serializers import EventSerializer


class EventListing(Listing):
    queryset = Event.objects.for_wire()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    project_field = "project_id"
    ordering = ("-id",)
