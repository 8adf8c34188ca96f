"""Which actions a user sees: those with an item in one of their projects, and their own."""

from django.db.models import Q

from apps.inventory.access import access_of

from .models import Action, ActionItem


def visible_actions(user, queryset=None):
    """The actions of `queryset` (all actions by default) the user may see."""
    queryset = Action.objects.all() if queryset is None else queryset
    projects = access_of(user).visible_project_ids
    if projects is None:
        return queryset
    # A subquery, not a join: a join would repeat actions and skew counts annotated on items.
    in_projects = ActionItem.objects.filter(project__in=projects).values("action")
    return queryset.filter(Q(pk__in=in_projects) | Q(requested_by=user))
