"""Acknowledging letters: a letter is open until someone who may act on its project says they
have seen to it. The same letters as GET /notifications shows the user."""

from django.utils import timezone

from apps.inventory.access import access_of

from .models import Notification
from .services import check_operable


def acknowledge(ids: list[int], user) -> int:
    """Acknowledges, in one UPDATE, the open letters among `ids` that the user sees; returns how
    many. Unknown ids, letters the user does not see and those already acknowledged are left as
    they are. ForbiddenError, with nothing done, for letters of projects the user may only view."""
    access = access_of(user)
    letters = access.visible(Notification.objects.filter(pk__in=ids), "item__project")
    if access.operable_project_ids is not None:
        projects = letters.values_list("pk", "item__project")
        check_operable(user, {str(pk): project for pk, project in projects}, "notification")
    return letters.filter(acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=user
    )
