"""Who may see and do what: a user or a group is granted a project or a whole cloud, with a role."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..choices import Role


class Grant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grants",
    )
    group = models.ForeignKey(
        "auth.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(max_length=16, choices=Role, default=Role.VIEWER)
    project = models.ForeignKey(
        "inventory.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    cloud = models.ForeignKey(
        "inventory.Cloud", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, group__isnull=True)
                | Q(user__isnull=True, group__isnull=False),
                name="inventory_grant_one_grantee",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False, cloud__isnull=True)
                | Q(project__isnull=True, cloud__isnull=False),
                name="inventory_grant_one_target",
            ),
        ]

    def __str__(self):
        grantee = self.user or self.group
        target = f"project {self.project}" if self.project_id else f"cloud {self.cloud}"
        return f"{grantee}: {self.role} of {target}"
