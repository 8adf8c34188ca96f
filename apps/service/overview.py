"""What staff see first in the admin: instances by state per cloud, the last syncs, the actions
of the last day (failures first), the open letters (not acknowledged yet, of any age) and the
latest changes of the inventory (the history's newest instance and image events).

Limited to what the user may see, and gathered in a fixed number of aggregate queries whatever
the number of clouds, runs or actions.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from apps.clouds.choices import SyncKind
from apps.clouds.models import SyncRun
from apps.history.choices import INVENTORY_KINDS
from apps.history.models import Event
from apps.inventory.access import access_of
from apps.inventory.choices import InstanceState
from apps.inventory.models import Cloud, Instance, Project
from apps.operations.choices import ItemStatus
from apps.operations.models import Action, ActionItem, Notification
from apps.operations.visibility import outcome, visible_actions, visible_items, with_item_counts

WINDOW = timedelta(hours=24)
SHOWN = 20  # the most actions, and letters, listed

_STATE_ORDER = {state: position for position, state in enumerate(InstanceState)}
_KIND_ORDER = {kind: position for position, kind in enumerate(SyncKind)}


@dataclass
class StateCount:
    state: str
    count: int
    share: float  # percent of the cloud's instances


@dataclass
class CloudSummary:
    cloud: Cloud
    total: int = 0
    states: list[StateCount] = field(default_factory=list)
    syncs: list[SyncRun] = field(default_factory=list)  # the latest run of each kind


@dataclass
class ActionSummary:
    action: Action
    failed: int
    succeeded: int
    skipped: int
    pending: int

    @property
    def outcome(self) -> str:
        return outcome(self.failed, self.succeeded, self.pending)


@dataclass
class Overview:
    since: datetime
    clouds: list[CloudSummary]
    actions: list[ActionSummary]
    actions_total: int
    actions_failed: int
    notifications: list[Notification]  # the newest open ones
    notifications_total: int  # open ones
    changes: list[Event]  # the newest inventory changes
    latest_event_id: int  # the page's live changes (the event stream) come after it
    change_kinds: str = " ".join(INVENTORY_KINDS)
    changes_shown: int = SHOWN

    @property
    def instances_total(self) -> int:
        return sum(summary.total for summary in self.clouds)


def overview(user) -> Overview:
    since = timezone.now() - WINDOW
    access = access_of(user)
    # An action that queued nothing (every item skipped, say a delete asked again) did nothing.
    queued = ActionItem.objects.filter(action=OuterRef("pk")).exclude(status=ItemStatus.SKIPPED)
    actions = visible_actions(user).filter(Exists(queued), requested_at__gte=since)
    letters = access.visible(
        Notification.objects.filter(acknowledged_at__isnull=True), "item__project"
    )
    seen = visible_items(user, "items__")
    totals = actions.aggregate(
        total=Count("pk", distinct=True),
        failed=Count("pk", filter=Q(items__status=ItemStatus.FAILED) & seen, distinct=True),
    )
    return Overview(
        since=since,
        clouds=_clouds(access),
        actions=_actions(user, actions),
        actions_total=totals["total"],
        actions_failed=totals["failed"],
        notifications=list(letters.order_by("-created_at", "-id")[:SHOWN]),
        notifications_total=letters.count(),
        changes=_latest_changes(access),
        latest_event_id=Event.objects.order_by("-id").values_list("id", flat=True).first() or 0,
    )


def _latest_changes(access) -> list[Event]:
    events = Event.objects.filter(kind__in=INVENTORY_KINDS).order_by("-id")
    return list(access.visible(events, "project_id")[:SHOWN])


def _clouds(access) -> list[CloudSummary]:
    clouds = Cloud.objects.only("id", "name", "enabled")
    if access.visible_project_ids is not None:
        projects = Project.objects.filter(id__in=access.visible_project_ids)
        clouds = clouds.filter(id__in=projects.values("cloud"))
    summaries = {cloud.id: CloudSummary(cloud) for cloud in clouds.order_by("name")}
    _add_states(summaries, access)
    _add_syncs(summaries, clouds)
    return list(summaries.values())


def _add_states(summaries: dict, access) -> None:
    counts = (
        access.visible(Instance.objects.all())
        .values("cloud_id", "state")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_cloud: dict = {}
    for row in counts:
        by_cloud.setdefault(row["cloud_id"], []).append((row["state"], row["count"]))
    for cloud_id, states in by_cloud.items():
        summary = summaries[cloud_id]
        summary.total = sum(count for _, count in states)
        states.sort(key=lambda pair: _STATE_ORDER.get(pair[0], len(_STATE_ORDER)))
        summary.states = [
            StateCount(state, count, 100 * count / summary.total) for state, count in states
        ]


def _add_syncs(summaries: dict, clouds) -> None:
    """The latest run of each kind of each cloud (skipped runs aside)."""
    for run in SyncRun.objects.filter(cloud__in=clouds).latest_of_each_kind():
        summaries[run.cloud_id].syncs.append(run)
    for summary in summaries.values():
        summary.syncs.sort(key=lambda run: _KIND_ORDER.get(run.kind, len(_KIND_ORDER)))


def _actions(user, actions) -> list[ActionSummary]:
    """The actions with a failed item first, then the newest first; the items the user sees."""
    rows = (
        with_item_counts(user, actions.select_related("requested_by"))
        .annotate(
            failed_first=Case(
                When(failed__gt=0, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("failed_first", "-requested_at")[:SHOWN]
    )
    return [ActionSummary(row, row.failed, row.succeeded, row.skipped, row.pending) for row in rows]
