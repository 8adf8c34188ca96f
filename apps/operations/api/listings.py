"""GET /api/actions/: the actions the user may see, filtered and a page at a time."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from apps.inventory.api.listings import Listing

from ..choices import ItemStatus
from ..filtersets import ActionFilterSet
from ..models import Action, ActionItem
from ..visibility import visible_actions, visible_items
from .serializers import ActionSummarySerializer


def with_item_counts(queryset, user):
    """Each action's number of items the user sees in each status, as `<status>_items`:
    subqueries, which the databases run for the rows of the page only."""

    def items(status):
        counted = (
            ActionItem.objects.filter(visible_items(user), action=OuterRef("pk"), status=status)
            .order_by()
            .values("action")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(counted), 0)

    return queryset.annotate(**{f"{status}_items": items(status) for status in ItemStatus})


class ActionListing(Listing):
    """Actions with an item in the user's projects, and their own; the newest first."""

    queryset = Action.objects.select_related("requested_by")
    serializer_class = ActionSummarySerializer
    filterset_class = ActionFilterSet
    ordering = ("-requested_at",)

    def get_queryset(self):
        user = self.request.user
        return with_item_counts(visible_actions(user, self.queryset.all()), user)
