"""Admin of sync runs, and the sync state and actions added to the inventory's Cloud admin."""

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery

from apps.inventory.access import access_of
from apps.inventory.admin import CloudAdmin, ReadOnlyAdminMixin
from apps.inventory.admin_access import ProjectAccessMixin
from apps.inventory.admin_display import cut
from apps.inventory.models import Cloud

from .choices import SyncKind, SyncStatus
from .models import SyncRun
from .services import queue_syncs, syncable


@admin.register(SyncRun)
class SyncRunAdmin(ProjectAccessMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    project_path = "cloud__projects"
    list_display = ("queued_at", "cloud", "kind_name", "outcome", "took", "changes")
    list_filter = ("status", "kind", "cloud")
    list_select_related = ("cloud",)
    date_hierarchy = "queued_at"

    @admin.display(description="kind", ordering="kind")
    def kind_name(self, run):
        return run.kind

    @admin.display(description="status", ordering="status")
    def outcome(self, run):
        if run.error:
            return cut(f"{run.shown_status}: {run.error}")
        return run.shown_status

    @admin.display(description="duration")
    def took(self, run):
        return run.seconds

    @admin.display(description="changes")
    def changes(self, run):
        if run.status != SyncStatus.SUCCEEDED:
            return ""
        return f"{run.created} new, {run.updated} updated, {run.deleted} deleted"


admin.site.unregister(Cloud)


@admin.register(Cloud)
class CloudWithSyncAdmin(CloudAdmin):
    list_display = (*CloudAdmin.list_display, "last_sync")
    actions = ("sync_full", "sync_changes")

    def get_queryset(self, request):
        finished = SyncRun.objects.filter(cloud=OuterRef("pk"), finished_at__isnull=False)
        latest = finished.exclude(status=SyncStatus.SKIPPED).order_by("-finished_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_sync_at=Subquery(latest.values("finished_at")[:1]),
                last_sync_status=Subquery(latest.values("status")[:1]),
                last_sync_error=Subquery(latest.values("error")[:1]),
            )
        )

    @admin.display(description="last sync", ordering="last_sync_at")
    def last_sync(self, cloud):
        if cloud.last_sync_at is None:
            return "never"
        when = cloud.last_sync_at.strftime("%Y-%m-%d %H:%M")
        if cloud.last_sync_status == SyncStatus.FAILED:
            return cut(f"FAILED {when}: {cloud.last_sync_error}")
        return f"{cloud.last_sync_status} {when}"

    @admin.action(description="Sync now: catalog and all instances", permissions=["sync"])
    def sync_full(self, request, queryset):
        self._queue(request, queryset, [SyncKind.CATALOG, SyncKind.INSTANCES])

    @admin.action(description="Sync now: changed instances", permissions=["sync"])
    def sync_changes(self, request, queryset):
        self._queue(request, queryset, [SyncKind.CHANGES])

    def has_sync_permission(self, request):
        return access_of(request.user).may_operate

    def _queue(self, request, clouds, kinds):
        clouds = syncable(clouds, request.user)
        for cloud in clouds.filter(seeded=True):
            self.message_user(request, f"Cloud {cloud} {Cloud.SEEDED}.", messages.WARNING)
        runs = [run for cloud in clouds.filter(seeded=False) for run in queue_syncs(cloud, kinds)]
        self.message_user(request, f"Queued {len(runs)} sync run(s).", messages.SUCCESS)
