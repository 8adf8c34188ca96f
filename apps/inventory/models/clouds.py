"""A cloud (one account on one provider) and its projects (one per region the account reaches)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from ..choices import CloudType, Interface
from ..fields import EncryptedTextField
from .base import CloudEntity, Metadata, as_list


class CloudQuerySet(models.QuerySet):
    def to_sync(self):
        """The clouds beat and `manage.py sync` sync: enabled, and not made up by seeding."""
        return self.filter(enabled=True, seeded=False)


class Cloud(models.Model):
    # Why nothing syncs a seeded cloud or acts on its instances and images.
    SEEDED = "was made up by seed_inventory: there is no cloud to sync or act on"

    # How it logs in to Keystone, as clouds.yaml's `auth` keys of the same names.
    CREDENTIAL_FIELDS = (
        "username",
        "password",
        "user_domain_name",
        "user_domain_id",
        "project_name",
        "project_id",
        "project_domain_name",
        "project_domain_id",
        "application_credential_id",
        "application_credential_secret",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(
        max_length=63, unique=True, help_text="The cloud's id on the wire (cloudId)."
    )
    type = models.CharField(max_length=32, choices=CloudType, default=CloudType.OPENSTACK)
    enabled = models.BooleanField(default=True, help_text="Disabled clouds are not synced.")
    seeded = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made up by seed_inventory: never synced, nothing acts on it.",
    )

    auth_url = models.URLField("auth URL", max_length=500)
    username = models.CharField(max_length=255, blank=True)
    password = EncryptedTextField(blank=True)
    user_domain_name = models.CharField(max_length=255, blank=True, default="Default")
    user_domain_id = models.CharField(max_length=255, blank=True)
    project_name = models.CharField(max_length=255, blank=True)
    project_id = models.CharField(max_length=255, blank=True)
    project_domain_name = models.CharField(max_length=255, blank=True, default="Default")
    project_domain_id = models.CharField(max_length=255, blank=True)
    application_credential_id = models.CharField(max_length=255, blank=True)
    application_credential_secret = EncryptedTextField(blank=True)
    regions = models.JSONField(
        default=list, blank=True, help_text='Region names, e.g. ["RegionOne"]; empty: all.'
    )
    interface = models.CharField(max_length=16, choices=Interface, default=Interface.PUBLIC)
    verify_tls = models.BooleanField("verify TLS", default=True)

    instances_sync_minutes = models.PositiveIntegerField(
        default=30, help_text="Full listing of instances every so many minutes."
    )
    catalog_sync_minutes = models.PositiveIntegerField(
        default=60,
        help_text="Full listing of projects, images, flavors, networks, keypairs and quotas.",
    )
    changes_sync_seconds = models.PositiveIntegerField(
        default=60, help_text="Re-read of instances changed since the last sync."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CloudQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        has_password = self.username and self.password
        has_app_credential = self.application_credential_id and self.application_credential_secret
        if not (has_password or has_app_credential):
            raise ValidationError(
                "Give a username and password, or an application credential id and secret."
            )
        if not isinstance(self.regions, list) or not all(
            isinstance(region, str) and region for region in self.regions
        ):
            raise ValidationError({"regions": "A JSON list of region names."})


class ProjectQuerySet(models.QuerySet):
    def for_wire(self):
        """With what the wire shape of a project shows; the clouds of a list read once each."""
        return self.prefetch_related("cloud", as_list("metadata"))


class Project(CloudEntity):
    """One (cloud, region) pair; named `<cloud>_<region>` as in the original."""

    region = models.CharField(max_length=255)

    objects = ProjectQuerySet.as_manager()

    class Meta(CloudEntity.Meta):
        ordering = ["name"]


class ProjectMetadata(Metadata):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="metadata")

    class Meta(Metadata.Meta):
        verbose_name_plural = "project metadata"
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="inventory_project_meta_key")
        ]
