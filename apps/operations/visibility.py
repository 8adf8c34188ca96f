"""Which actions a user sees: those with an item in one of their projects, and their own; and
of an action, which items: those in their projects, or all of their own action's; and how the
items they see ended."""

from django.db.models import Count, Q

from apps.inventory.access import access_of

from .choices import ItemStatus
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


def visible_items(user, items: str = "") -> Q:
    """The condition on action items that the user sees, from the model queried through the
    path `items` ("" on ActionItem itself, "items__" on Action); empty when unrestricted."""
    projects = access_of(user).visible_project_ids
    if projects is None:
        return Q()
    action = "" if items else "action__"
    return Q(**{f"{items}project__in": projects}) | Q(**{f"{action}requested_by": user})


def visible_items_of(user, queryset=None):
    """The items of `queryset` (all items by default) the user sees."""
    queryset = ActionItem.objects.all() if queryset is None else queryset
    return queryset.filter(visible_items(user))


def with_item_counts(user, actions):
    """The actions, each with how many of the items the user sees are failed, succeeded,
    skipped and pending (the overview's and the actions list's outcome)."""
    seen = visible_items(user, "items__")

    def items(*statuses):
        return Count("items", filter=Q(items__status__in=statuses) & seen)

    return actions.annotate(
        failed=items(ItemStatus.FAILED),
        succeeded=items(ItemStatus.SUCCEEDED),
        skipped=items(ItemStatus.SKIPPED),
        pending=items(ItemStatus.QUEUED, ItemStatus.RUNNING),
    )


def outcome(failed: int, succeeded: int, pending: int) -> str:
    """An action's outcome from its counts: failed if any item failed, then running while any
    is pending, then succeeded, or skipped when every item was."""
    if failed:
        return ItemStatus.FAILED
    if pending:
        return ItemStatus.RUNNING
    return ItemStatus.SUCCEEDED if succeeded else ItemStatus.SKIPPED
