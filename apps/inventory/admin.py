"""Admin of the inventory. What a sync brings is read-only here: the cloud is its source."""

from django.contrib import admin
from django.db.models import Prefetch
from rest_framework.authtoken import admin as authtoken_admin
from rest_framework.authtoken.models import TokenProxy

from .access import access_of
from .admin_access import ProjectAccessMixin, SuperuserEditsMixin, SuperuserOnlyMixin
from .admin_display import short
from .forms import SECRET_FIELDS, CloudForm
from .models import (
    RESOURCES,
    AvailabilityZone,
    Cloud,
    Flavor,
    Grant,
    Image,
    ImageMetadata,
    Instance,
    InstanceMetadata,
    Keypair,
    Network,
    Project,
    ProjectMetadata,
    Quota,
    Subnet,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MetadataInline(ReadOnlyAdminMixin, admin.TabularInline):
    fields = ("key", "value")
    extra = 0


class InventoryAdmin(ProjectAccessMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    search_fields = ("name", "real_id", "=id")
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description="provider id", ordering="real_id")
    def provider_id(self, entity):
        return short(entity.real_id)


@admin.register(Cloud)
class CloudAdmin(ProjectAccessMixin, SuperuserEditsMixin, admin.ModelAdmin):
    """Clouds hold the credentials: only superusers edit them; staff see the clouds of their
    projects, without the secrets."""

    project_path = "projects"
    form = CloudForm
    list_display = ("name", "auth_url", "region_names", "enabled")
    list_filter = ("type", "enabled")
    search_fields = ("name", "auth_url", "=id")
    readonly_fields = ("id", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("id", "name", "type", "enabled")}),
        (
            "Connection",
            {"fields": ("auth_url", "regions", "interface", "verify_tls")},
        ),
        (
            "Credentials",
            {
                "description": "Stored encrypted; never shown back.",
                "fields": Cloud.CREDENTIAL_FIELDS,
            },
        ),
        (
            "Sync",
            {"fields": ("instances_sync_minutes", "catalog_sync_minutes", "changes_sync_seconds")},
        ),
        (None, {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description="regions")
    def region_names(self, cloud) -> str:
        return ", ".join(cloud.regions) or "all"

    def get_fieldsets(self, request, obj=None):
        """A read-only page would show the secrets in clear: leave them out of it."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in SECRET_FIELDS]})
            for name, options in fieldsets
        ]


class ProjectMetadataInline(MetadataInline):
    model = ProjectMetadata


class QuotaInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Quota


@admin.register(Project)
class ProjectAdmin(InventoryAdmin):
    project_path = "id"
    list_display = ("name", "cloud", "region", "provider_id", "last_updated")
    list_filter = ("cloud",)
    list_select_related = ("cloud",)
    inlines = (QuotaInline, ProjectMetadataInline)


class ProjectEntityAdmin(InventoryAdmin):
    list_filter = ("project__cloud", "project")
    list_select_related = ("project",)


@admin.register(Flavor)
class FlavorAdmin(ProjectEntityAdmin):
    list_display = ("name", "project", "vcpus", "ram", "root_disk", "is_public")


@admin.register(Network)
class NetworkAdmin(ProjectEntityAdmin):
    list_display = ("name", "project", "state", "is_shared", "provider_id")


@admin.register(Subnet)
class SubnetAdmin(ProjectEntityAdmin):
    list_display = ("name", "project", "network", "cidr", "gateway", "is_dhcp_enabled")
    list_select_related = ("project", "network")


@admin.register(Keypair)
class KeypairAdmin(ProjectEntityAdmin):
    list_display = ("name", "project", "fingerprint")


@admin.register(AvailabilityZone)
class AvailabilityZoneAdmin(ProjectEntityAdmin):
    list_display = ("name", "project", "is_available")


def _usage_column(resource):
    @admin.display(description=resource.replace("_", " "))
    def column(quota):
        return quota.usage(resource)

    return column


# The resources every cloud limits have a column each; the others share one.
COLUMNS = 3


@admin.register(Quota)
class QuotaAdmin(ProjectAccessMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "project",
        *(_usage_column(resource) for resource in RESOURCES[:COLUMNS]),
        "other_usage",
    )
    list_filter = ("project__cloud",)
    list_select_related = ("project",)
    search_fields = ("project__name",)

    @admin.display(description="others (used/limit)")
    def other_usage(self, quota) -> str:
        usages = ((resource, quota.usage(resource)) for resource in RESOURCES[COLUMNS:])
        return ", ".join(f"{name.replace('_', ' ')} {usage}" for name, usage in usages if usage)


class InstanceMetadataInline(MetadataInline):
    model = InstanceMetadata


class ReachableFilter(admin.SimpleListFilter):
    title = "reachable"
    parameter_name = "reachable"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No: its Nova cell is down")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(unreachable_since__isnull=self.value() == "yes")
        return queryset


@admin.register(Instance)
class InstanceAdmin(InventoryAdmin):
    list_display = ("name", "state_shown", "project", "flavor", "image", "last_updated")
    list_filter = ("state", ReachableFilter, "cloud", "project", "is_locked")
    list_select_related = ("project", "flavor", "image")
    raw_id_fields = ("flavor", "image", "keypair")
    inlines = (InstanceMetadataInline,)

    @admin.display(description="state", ordering="state")
    def state_shown(self, instance) -> str:
        """Unreachable while its Nova cell is down: the other fields are what it last said."""
        if instance.unreachable_since is not None:
            return f"{instance.get_state_display()} (unreachable)"
        return instance.get_state_display()


class ImageMetadataInline(MetadataInline):
    model = ImageMetadata


@admin.register(Image)
class ImageAdmin(InventoryAdmin):
    project_path = "projects"
    list_display = ("name", "state", "cloud", "short_checksum", "provider_id", "last_updated")
    list_filter = ("state", "cloud", "projects")
    list_select_related = ("cloud",)
    inlines = (ImageMetadataInline,)

    @admin.display(description="checksum", ordering="checksum")
    def short_checksum(self, image):
        return short(image.checksum)

    def get_queryset(self, request):
        """An image's page names only the projects of it the user sees."""
        projects = access_of(request.user).visible(Project.objects.all(), "id")
        return super().get_queryset(request).prefetch_related(Prefetch("projects", projects))


@admin.register(Grant)
class GrantAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Grants are the access itself: staff must not grant themselves more."""

    list_display = ("__str__", "user", "group", "role", "project", "cloud", "created_at")
    list_filter = ("role", "cloud", "project")
    search_fields = ("user__username", "group__name", "project__name", "cloud__name")
    raw_id_fields = ("user",)


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(SuperuserOnlyMixin, authtoken_admin.TokenAdmin):
    """A token's page shows its key, which logs in as its user: superusers only."""
