"""GET /api/syncs/: the sync runs of the clouds the user sees, the newest first."""

from apps.inventory.api.listings import Listing

from ..filtersets import SyncRunFilterSet
from ..models import SyncRun
from .serializers import SyncRunSerializer


class SyncRunListing(Listing):
    """The sync runs of the clouds of which the user sees a project, the newest first."""

    queryset = SyncRun.objects.select_related("cloud")
    serializer_class = SyncRunSerializer
    filterset_class = SyncRunFilterSet
    project_field = "cloud__projects"
    ordering = ("-queued_at",)
