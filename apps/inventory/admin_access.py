"""The admin applies the same per-project access as the API: each admin names the path from its
rows to their project, and sees (and filters by) only what the user's grants let them see."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path

from .access import access_of


class VisibleRelatedFilter(admin.RelatedFieldListFilter):
    """Lists the related objects the user sees in their own admin, not every one."""

    def field_choices(self, field, request, model_admin):
        related_admin = model_admin.admin_site.get_model_admin(field.related_model)
        visible = related_admin.get_queryset(request).values("pk")
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": visible}, ordering=ordering
        )


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
