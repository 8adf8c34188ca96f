from .base import stable_id
from .clouds import Cloud, Project, ProjectMetadata
from .compute import AvailabilityZone, Flavor, Instance, InstanceMetadata, Keypair
from .grants import Grant
from .images import Image, ImageMetadata
from .networks import Network, Subnet
from .quotas import RESOURCES, Quota

__all__ = [
    "RESOURCES",
    "AvailabilityZone",
    "Cloud",
    "Flavor",
    "Grant",
    "Image",
    "ImageMetadata",
    "Instance",
    "InstanceMetadata",
    "Keypair",
    "Network",
    "Project",
    "ProjectMetadata",
    "Quota",
    "Subnet",
    "stable_id",
]
