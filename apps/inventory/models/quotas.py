"""A project's quota: what it uses of each limit (a limit of -1 is unlimited)."""

from django.db import models

RESOURCES = ("instances", "vcpus", "ram", "disk", "ips", "security_groups", "volumes", "keypairs")


class Quota(models.Model):
    project = models.OneToOneField(
        "inventory.Project", on_delete=models.CASCADE, primary_key=True, related_name="quota"
    )
    instances_used = models.IntegerField(null=True, blank=True)
    instances_limit = models.IntegerField(null=True, blank=True)
    vcpus_used = models.IntegerField(null=True, blank=True)
    vcpus_limit = models.IntegerField(null=True, blank=True)
    ram_used = models.IntegerField(null=True, blank=True)
    ram_limit = models.IntegerField(null=True, blank=True)
    disk_used = models.IntegerField(null=True, blank=True)
    disk_limit = models.IntegerField(null=True, blank=True)
    ips_used = models.IntegerField(null=True, blank=True)
    ips_limit = models.IntegerField(null=True, blank=True)
    security_groups_used = models.IntegerField(null=True, blank=True)
    security_groups_limit = models.IntegerField(null=True, blank=True)
    volumes_used = models.IntegerField(null=True, blank=True)
    volumes_limit = models.IntegerField(null=True, blank=True)
    keypairs_used = models.IntegerField(null=True, blank=True)
    keypairs_limit = models.IntegerField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"quota of {self.project}"

    def usage(self, resource: str) -> str | None:
        """The original's "used/limit" string of one resource."""
        used, limit = getattr(self, f"{resource}_used"), getattr(self, f"{resource}_limit")
        if used is None and limit is None:
            return None
        return f"{'' if used is None else used}/{'' if limit is None else limit}"
