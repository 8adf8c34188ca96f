"""Networks and subnets, listed per project."""

from django.db import models

from .base import ProjectEntity, as_list


class NetworkQuerySet(models.QuerySet):
    def for_wire(self):
        """With the subnets the wire shape of a network shows."""
        return self.prefetch_related(as_list("subnets"))


class Network(ProjectEntity):
    state = models.CharField(max_length=32, blank=True, help_text="Provider status, e.g. ACTIVE.")
    is_shared = models.BooleanField(default=False)

    objects = NetworkQuerySet.as_manager()

    class Meta(ProjectEntity.Meta):
        ordering = ["name"]


class Subnet(ProjectEntity):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="subnets")
    cidr = models.CharField("CIDR", max_length=64, blank=True)
    protocol_version = models.PositiveSmallIntegerField(default=4)
    gateway = models.CharField(max_length=64, blank=True)
    is_dhcp_enabled = models.BooleanField("DHCP enabled", default=True)

    class Meta(ProjectEntity.Meta):
        ordering = ["name"]
