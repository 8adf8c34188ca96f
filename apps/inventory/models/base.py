"""What every inventory entity has: a public UUID that never changes and the provider's id."""

import uuid

from django.db import models
from django.db.models import Prefetch

_NAMESPACE = uuid.UUID("5f1b3c52-8f0e-4c63-9d43-6a0f3f9d2a71")


def stable_id(scope_id, kind: str, real_id: str) -> uuid.UUID:
    """The public id of a provider entity first seen by a sync.

    Derived from (scope, kind, real id), as the original did, so a listing can be reconciled
    without looking ids up first and an entity that comes back gets its old id again.
    """
    return uuid.uuid5(_NAMESPACE, f"{scope_id}/{kind}/{real_id}")


def as_list(lookup: str, queryset=None) -> Prefetch:
    """Prefetches a many-valued relation (the last part of `lookup`) into a plain list named
    `wire_<relation>`, the attribute the wire shapes read: a related manager with its own
    QuerySet for every row, as a bare lookup gives, costs a long listing more than its rows."""
    return Prefetch(lookup, queryset, to_attr=f"wire_{lookup.rsplit('__', 1)[-1]}")


class Entity(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # NULL, not "", until the provider has assigned one (a queued launch), so that any number
    # of such rows pass the (scope, real_id) unique constraint.
    real_id = models.CharField(  # noqa: DJ001
        "provider id", max_length=255, null=True, blank=True, help_text="The provider's own id."
    )
    name = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name or str(self.id)


class CloudEntity(Entity):
    """An entity of a whole cloud; its provider id is unique in that cloud."""

    cloud = models.ForeignKey(
        "inventory.Cloud", on_delete=models.CASCADE, related_name="%(class)ss"
    )
    created = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["cloud", "real_id"], name="%(app_label)s_%(class)s_unique_real_id"
            )
        ]
        indexes = [models.Index(fields=["name"], name="inv_%(class)s_name")]


class ProjectEntity(Entity):
    """An entity listed per project (cloud region); its provider id is unique in that project."""

    project = models.ForeignKey(
        "inventory.Project", on_delete=models.CASCADE, related_name="%(class)ss"
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["project", "real_id"], name="%(app_label)s_%(class)s_unique_real_id"
            )
        ]
        indexes = [models.Index(fields=["name"], name="inv_%(class)s_name")]


class Metadata(models.Model):
    """One key/value pair of an entity's metadata."""

    key = models.CharField(max_length=255)
    value = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["key"]

    def __str__(self):
        return f"{self.key}={self.value}"
