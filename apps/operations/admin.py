"""Actions with their items and the letters, read-only but for acknowledging letters; and
batch actions added to the inventory's Instance admin, through the same services as the API."""

from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from apps.clouds.choices import Operation
from apps.history.admin import timeline
from apps.inventory.admin import InstanceAdmin, ReadOnlyAdminMixin
from apps.inventory.admin_access import ProjectAccessMixin
from apps.inventory.admin_display import short
from apps.inventory.models import Instance
from apps.jsonapi.ids import parse_id

from . import acknowledgement, services
from .models import Action, ActionItem, Notification
from .visibility import outcome, visible_actions, visible_items_of, with_item_counts


class ActionItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ActionItem
    fields = (
        "target_id",
        "name",
        "operation",
        "status",
        "reason",
        "attempts",
        "started_at",
        "accepted_at",
        "finished_at",
    )
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return visible_items_of(request.user, super().get_queryset(request))


class OperationFilter(admin.SimpleListFilter):
    """Only the operations of the actions the user sees, not every one there is."""

    title = "operation"
    parameter_name = "operation"

    def lookups(self, request, model_admin):
        found = model_admin.get_queryset(request).values_list("operation", flat=True)
        labels = dict(Action._meta.get_field("operation").choices)
        return [(operation, labels[operation]) for operation in sorted(set(found.order_by()))]

    def queryset(self, request, queryset):
        return queryset.filter(operation=self.value()) if self.value() else queryset


@admin.register(Action)
class ActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("requested_at", "operation", "outcome", "items", "requested_by", "short_id")
    list_filter = (OperationFilter,)
    list_select_related = ("requested_by",)
    search_fields = ("=id", "items__target_id", "items__name")
    date_hierarchy = "requested_at"
    inlines = (ActionItemInline,)

    def get_queryset(self, request):
        actions = visible_actions(request.user, super().get_queryset(request))
        return with_item_counts(request.user, actions)

    @admin.display(description="outcome")
    def outcome(self, action):
        return outcome(action.failed, action.succeeded, action.pending)

    @admin.display(description="items")
    def items(self, action):
        counts = {
            "failed": action.failed,
            "succeeded": action.succeeded,
            "pending": action.pending,
            "skipped": action.skipped,
        }
        return ", ".join(f"{count} {status}" for status, count in counts.items() if count)

    @admin.display(description="id", ordering="id")
    def short_id(self, action):
        return short(action.id)

    def get_search_results(self, request, queryset, search_term):
        """By the action's id, or an item's id or name among the items the user sees: a
        hidden item's name must match nothing, as a name that does not exist."""
        term = search_term.strip()
        if not term:
            return queryset, False
        items = visible_items_of(request.user).filter(
            Q(target_id__icontains=term) | Q(name__icontains=term)
        )
        matching = Q(pk__in=items.values("action"))
        if parse_id(term):
            matching |= Q(pk=parse_id(term))
        return queryset.filter(matching), False


class OpenFilter(admin.SimpleListFilter):
    title = "acknowledgement"
    parameter_name = "open"  # as GET /notifications?open=

    def lookups(self, request, model_admin):
        return (("true", "Open"), ("false", "Acknowledged"))

    def queryset(self, request, queryset):
        if self.value() in ("true", "false"):
            return queryset.filter(acknowledged_at__isnull=self.value() == "true")
        return queryset


@admin.register(Notification)
class NotificationAdmin(ProjectAccessMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    project_path = "item__project"  # as GET /notifications
    list_display = ("created_at", "message", "action_id_short", "acknowledged")
    list_select_related = ("action", "acknowledged_by")
    list_filter = (OpenFilter,)
    search_fields = ("message",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    actions = ("acknowledge",)

    @admin.display(description="action", ordering="action")
    def action_id_short(self, letter):
        if letter.action_id is None:
            return "-"
        link = reverse("admin:operations_action_change", args=[letter.action_id])
        return format_html('<a href="{}">{}</a>', link, short(letter.action_id))

    @admin.display(description="acknowledged", ordering="acknowledged_at")
    def acknowledged(self, letter):
        if letter.acknowledged_at is None:
            return "no"
        by = f" by {letter.acknowledged_by}" if letter.acknowledged_by else ""
        return f"{letter.acknowledged_at:%Y-%m-%d %H:%M}{by}"

    @admin.action(description="Acknowledge", permissions=["acknowledge"])
    def acknowledge(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        try:
            count = acknowledgement.acknowledge(ids, request.user)
        except services.ActionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        already = len(ids) - count  # the selection holds only letters the user sees
        note = f" ({already} already were)" if already else ""
        self.message_user(request, f"{count} acknowledged{note}.", messages.SUCCESS)

    def has_acknowledge_permission(self, request):
        return request.user.has_perm("operations.change_notification")


admin.site.unregister(Instance)


def _batch(operation: str, description: str):
    @admin.action(description=description, permissions=["operate"])
    def run(modeladmin, request, queryset):
        modeladmin.run_batch(request, queryset, operation)

    run.__name__ = operation
    return run


@admin.register(Instance)
class InstanceWithActionsAdmin(InstanceAdmin):
    actions = (
        _batch(Operation.REBOOT_INSTANCE, "Reboot"),
        _batch(Operation.HARD_REBOOT_INSTANCE, "Hard reboot"),
        _batch(Operation.START_INSTANCE, "Start"),
        _batch(Operation.SHUTDOWN_INSTANCE, "Shut down"),
        _batch(Operation.PAUSE_INSTANCE, "Pause"),
        _batch(Operation.RESUME_INSTANCE, "Resume (unpause a paused one)"),
        _batch(Operation.SUSPEND_INSTANCE, "Suspend"),
        _batch(Operation.DELETE_INSTANCE, "Delete in the cloud"),
    )

    readonly_fields = ("history",)

    @admin.display(description="history")
    def history(self, instance):
        return timeline(instance.id)

    def has_operate_permission(self, request):
        """Staff who may record actions may run them."""
        return request.user.has_perm("operations.add_action")

    def run_batch(self, request, queryset, operation: str) -> None:
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        try:
            outcome = services.instance_action(operation, ids, request.user)
        except services.ActionError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        link = reverse("admin:operations_action_change", args=[outcome.action.pk])
        level = messages.SUCCESS if outcome.queued else messages.WARNING
        self.message_user(
            request,
            format_html(
                '<a href="{}">Action</a>: {} queued, {} skipped.',
                link,
                len(outcome.queued),
                len(outcome.skipped),
            ),
            level,
        )
        for target, reason in outcome.skipped[:10]:
            self.message_user(request, f"Skipped {target}: {reason}", messages.WARNING)
