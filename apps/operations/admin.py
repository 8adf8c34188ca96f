"""Actions with their items and the letters, read-only; and batch actions added to the
inventory's Instance admin, through the same services as the API."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from apps.clouds.choices import Operation
from apps.inventory.admin import InstanceAdmin, ReadOnlyAdminMixin
from apps.inventory.models import Instance

from . import services
from .models import Action, ActionItem, Notification


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


@admin.register(Action)
class ActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("requested_at", "operation", "requested_by", "id")
    list_filter = ("operation",)
    list_select_related = ("requested_by",)
    search_fields = ("=id", "items__target_id", "items__name")
    date_hierarchy = "requested_at"
    inlines = (ActionItemInline,)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "message", "action")
    search_fields = ("message",)
    date_hierarchy = "created_at"


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

    def has_operate_permission(self, request):
        """Staff who may record actions may run them."""
        return request.user.has_perm("operations.add_action")

    def run_batch(self, request, queryset, operation: str) -> None:
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        outcome = services.instance_action(operation, ids, request.user)
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
