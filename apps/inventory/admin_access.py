"""The admin applies the same per-project access as the API: each admin names the path from its
rows to their project, and sees (and filters by) only what the user's grants let them see."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path

from .access import access_of


class VisibleRelatedFilter(admin.RelatedFieldListFilter):
    """Lists the related objects the user sees in their own admin, not every one, and filters
    by those only: a hidden one chosen in the URL matches nothing, as one that does not exist
    (an image shared with a hidden project must not tell)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.model_admin = model_admin
        super().__init__(field, request, params, model, model_admin, field_path)

    def field_choices(self, field, request, model_admin):
        visible = self._visible(request).values("pk")
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": visible}, ordering=ordering
        )

    def queryset(self, request, queryset):
        chosen = set(self.lookup_val or [])
        visible = self._visible(request)
        if chosen and visible.filter(pk__in=chosen).count() < len(chosen):
            return queryset.none()
        return super().queryset(request, queryset)

    def _visible(self, request):
        related_admin = self.model_admin.admin_site.get_model_admin(self.field.related_model)
        return related_admin.get_queryset(request)


class ProjectAccessMixin:
    """Rows limited to the projects the user sees (superusers see all). Django reads change,
    delete and history pages through get_queryset too, so a row outside them is missing there."""

    project_path = "project"  # from a row to its project(s)

    def get_queryset(self, request):
        return access_of(request.user).visible(super().get_queryset(request), self.project_path)

    def get_list_filter(self, request):
        return [
            (name, VisibleRelatedFilter) if self._is_relation(name) else name
            for name in super().get_list_filter(request)
        ]

    def _is_relation(self, list_filter) -> bool:
        return (
            isinstance(list_filter, str)
            and get_fields_from_path(self.model, list_filter)[-1].is_relation
        )


class SuperuserEditsMixin:
    """Only superusers add, change or delete these rows."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SuperuserOnlyMixin(SuperuserEditsMixin):
    """Only superusers see these rows at all."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
