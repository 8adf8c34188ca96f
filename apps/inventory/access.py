"""What one user may see and do: the projects granted to them or their groups, with a role.

Superusers see and do everything. A grant of a cloud covers every project of that cloud,
including projects a later sync adds.
"""

from functools import cached_property

from django.db.models import Q

from .choices import Role
from .models import Grant, Project


def access_of(user) -> "Access":
    """The Access of a user, worked out once per user object (so once per request)."""
    access = getattr(user, "_perspective_access", None)
    if access is None:
        access = Access(user)
        user._perspective_access = access
    return access


class Access:
    def __init__(self, user):
        self.user = user

    @property
    def is_unrestricted(self) -> bool:
        return bool(self.user and self.user.is_active and self.user.is_superuser)

    @cached_property
    def _grants(self) -> list[tuple[str, object, object]]:
        """(role, project id, cloud id) of every grant that applies to the user."""
        if not (self.user and self.user.is_authenticated and self.user.is_active):
            return []
        mine = Q(user=self.user) | Q(group__in=self.user.groups.all())
        return list(Grant.objects.filter(mine).values_list("role", "project_id", "cloud_id"))

    @cached_property
    def visible_project_ids(self) -> frozenset | None:
        """Ids of the projects the user may see; None when unrestricted."""
        return None if self.is_unrestricted else self._project_ids({Role.VIEWER, Role.OPERATOR})

    @cached_property
    def operable_project_ids(self) -> frozenset | None:
        """Ids of the projects the user may act on; None when unrestricted."""
        return None if self.is_unrestricted else self._project_ids({Role.OPERATOR})

    @property
    def may_operate(self) -> bool:
        return self.operable_project_ids is None or bool(self.operable_project_ids)

    def visible_cloud_types(self) -> set[str] | None:
        """Types of the clouds the user sees a project of; None when unrestricted."""
        if self.visible_project_ids is None:
            return None
        projects = Project.objects.filter(id__in=self.visible_project_ids)
        return set(projects.values_list("cloud__type", flat=True).distinct())

    def visible(self, queryset, project_field: str = "project"):
        """The rows of `queryset` (related to a project through `project_field`) the user sees."""
        if self.visible_project_ids is None:
            return queryset
        condition = {f"{project_field}__in": self.visible_project_ids}
        if not _many_valued(queryset.model, project_field):
            return queryset.filter(**condition)
        # A subquery, not a join: a join repeats a row once per visible project it reaches.
        matching = queryset.model._default_manager.filter(**condition).values("pk")
        return queryset.filter(pk__in=matching)

    def _project_ids(self, roles: set[str]) -> frozenset:
        grants = [(project, cloud) for role, project, cloud in self._grants if role in roles]
        projects = {project for project, _ in grants if project}
        clouds = {cloud for _, cloud in grants if cloud}
        if clouds:
            projects |= set(Project.objects.filter(cloud__in=clouds).values_list("id", flat=True))
        return frozenset(projects)


def _many_valued(model, path: str) -> bool:
    """Whether a row may reach several rows through the relations of `path`."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False
