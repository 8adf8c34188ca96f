"""Images: each belongs to a cloud and is visible in one or more of its projects."""

from django.db import models

from ..choices import ImageState
from .base import CloudEntity, Metadata, as_list


class ImageQuerySet(models.QuerySet):
    def for_wire(self, many: bool = False):
        """Everything the wire shape of an image needs, in a fixed number of queries;
        `many`: the clouds of a long list read once each rather than joined to every row."""
        queryset = self.prefetch_related(as_list("metadata"), as_list("projects"))
        return queryset.prefetch_related("cloud") if many else queryset.select_related("cloud")


class Image(CloudEntity):
    state = models.CharField(max_length=16, choices=ImageState, default=ImageState.QUEUED)
    checksum = models.CharField(max_length=128, blank=True)
    instance = models.ForeignKey(
        "inventory.Instance",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="snapshots",
        help_text="The instance this image is a snapshot of.",
    )
    projects = models.ManyToManyField("inventory.Project", blank=True, related_name="images")

    objects = ImageQuerySet.as_manager()

    class Meta(CloudEntity.Meta):
        ordering = ["name"]
        indexes = [
            *CloudEntity.Meta.indexes,
            models.Index(fields=["state"], name="inv_image_state"),
        ]


class ImageMetadata(Metadata):
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="metadata")

    class Meta(Metadata.Meta):
        verbose_name_plural = "image metadata"
        constraints = [
            models.UniqueConstraint(fields=["image", "key"], name="inventory_image_meta_key")
        ]
