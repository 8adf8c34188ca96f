"""Flavors, keypairs, availability zones and instances."""

from django.db import models

from ..choices import InstanceState
from .base import CloudEntity, Metadata, ProjectEntity, as_list
from .networks import Network


class Flavor(ProjectEntity):
    ram = models.PositiveIntegerField("RAM (MiB)", default=0)
    vcpus = models.PositiveIntegerField("vCPUs", default=0)
    root_disk = models.PositiveIntegerField("root disk (GiB)", default=0)
    ephemeral_disk = models.PositiveIntegerField("ephemeral disk (GiB)", default=0)
    swap = models.PositiveIntegerField("swap (MiB)", default=0)
    is_public = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    class Meta(ProjectEntity.Meta):
        ordering = ["vcpus", "ram", "name"]

    @property
    def has_swap(self) -> bool:
        return self.swap > 0


class Keypair(ProjectEntity):
    """A keypair; its provider id is its name."""

    fingerprint = models.CharField(max_length=255, blank=True)
    public_key = models.TextField(blank=True)

    class Meta(ProjectEntity.Meta):
        ordering = ["name"]


class AvailabilityZone(ProjectEntity):
    """An availability zone; its provider id is its name."""

    is_available = models.BooleanField(default=True)

    class Meta(ProjectEntity.Meta):
        ordering = ["name"]


class InstanceQuerySet(models.QuerySet):
    def for_wire(self, many: bool = False):
        """Everything the wire shape of an instance needs, in a fixed number of queries.

        `many`: for a long list, the few clouds, flavors, images and keypairs its rows share are
        read once each instead of joined to every row, which would build them (and decrypt
        the cloud's credentials) once a row. The many-valued relations come as lists (as_list).
        """
        shared = ("cloud", "flavor", "image__cloud", "keypair")
        own = (
            as_list("metadata"),
            as_list("image__metadata"),
            as_list("image__projects"),
            as_list("networks", Network.objects.for_wire()),
        )
        if many:
            return self.prefetch_related(*shared, *own)
        return self.select_related(*shared).prefetch_related(*own)


class Instance(CloudEntity):
    project = models.ForeignKey(
        "inventory.Project", on_delete=models.CASCADE, related_name="instances"
    )
    flavor = models.ForeignKey(Flavor, null=True, blank=True, on_delete=models.SET_NULL)
    image = models.ForeignKey(
        "inventory.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    keypair = models.ForeignKey(Keypair, null=True, blank=True, on_delete=models.SET_NULL)
    state = models.CharField(max_length=32, choices=InstanceState, default=InstanceState.QUEUED)
    is_locked = models.BooleanField(default=False)
    availability_zone = models.CharField(max_length=255, blank=True)
    addresses = models.JSONField(default=list, blank=True)
    fqdn = models.CharField("FQDN", max_length=255, blank=True)
    networks = models.ManyToManyField("inventory.Network", blank=True, related_name="instances")
    unreachable_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Since when the cloud cannot reach the instance (its Nova cell is down): the other "
            "fields are what it last said; no action is taken on it meanwhile."
        ),
    )
    # A hash of what the cloud last said of it (fields, metadata, networks): a sync skips the
    # instance when the cloud says the same again (what an action showed meanwhile stays).
    fingerprint = models.CharField(max_length=32, blank=True, default="", editable=False)
    # When Perspective asked the cloud what the row says (a listing's or a poll's start). The
    # cloud's own time has whole seconds, too coarse to tell which of two looks is the later.
    observed_at = models.DateTimeField(null=True, editable=False)

    objects = InstanceQuerySet.as_manager()

    class Meta(CloudEntity.Meta):
        ordering = ["name"]
        indexes = [
            # The project beside the name: a restricted user's statement ordered or filtered by
            # name skips other projects' rows in the index, without reading them from the table.
            models.Index(fields=["name", "project"], name="inv_instance_name"),
            models.Index(fields=["state"], name="inv_instance_state"),
            models.Index(fields=["last_updated"], name="inv_instance_updated"),
            models.Index(
                fields=["unreachable_since"],
                condition=models.Q(unreachable_since__isnull=False),
                name="inv_instance_unreachable",
            ),
        ]


class InstanceMetadata(Metadata):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="metadata")

    class Meta(Metadata.Meta):
        verbose_name_plural = "instance metadata"
        constraints = [
            models.UniqueConstraint(fields=["instance", "key"], name="inventory_instance_meta_key")
        ]
