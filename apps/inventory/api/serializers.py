"""The wire shapes of the original: camelCase keys, nulls left out, singular list keys."""

from functools import cached_property

from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..access import access_of
from ..choices import ImageState, InstanceState
from .fields import MetadataField, WireDateTimeField
from .representation import plan_of, represent


class WireSerializer(serializers.Serializer):
    """Keys whose value is null or blank are left out, as the original did.

    A model instance is drawn by a plan made once per serializer (representation.py): what
    DRF's own to_representation gives, several times faster, which a long listing feels."""

    # (Fields that can be null or blank are declared `required=False`, so that the OpenAPI
    # schema shows them as keys that may be absent.)

    def to_representation(self, instance):
        if isinstance(instance, Model):
            return represent(self._plan, instance)
        data = super().to_representation(instance)
        return {key: value for key, value in data.items() if value is not None and value != ""}

    @cached_property
    def _plan(self):
        return plan_of(self)


class FlavorSerializer(WireSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField(required=False)
    ram = serializers.IntegerField()
    vcpus = serializers.IntegerField()
    rootDisk = serializers.IntegerField(source="root_disk")
    ephemeralDisk = serializers.IntegerField(source="ephemeral_disk")
    hasSwap = serializers.BooleanField(source="has_swap")
    isPublic = serializers.BooleanField(source="is_public")


class KeypairSerializer(WireSerializer):
    name = serializers.CharField(required=False)
    fingerprint = serializers.CharField(required=False)
    publicKey = serializers.CharField(source="public_key", required=False)


class SubnetSerializer(WireSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField(required=False)
    cidr = serializers.CharField(required=False)
    protocolVersion = serializers.IntegerField(source="protocol_version")
    gateway = serializers.CharField(required=False)
    isDhcpEnabled = serializers.BooleanField(source="is_dhcp_enabled")


class NetworkSerializer(WireSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField(required=False)
    state = serializers.CharField(required=False, help_text="The provider's, e.g. ACTIVE.")
    isShared = serializers.BooleanField(source="is_shared")
    subnets = SubnetSerializer(many=True, source="wire_subnets")


class CloudEntitySerializer(WireSerializer):
    id = serializers.UUIDField()
    realId = serializers.CharField(source="real_id", required=False)
    timestamp = WireDateTimeField(source="last_updated", required=False)
    created = WireDateTimeField(required=False)
    cloudId = serializers.CharField(source="cloud.name")
    cloudType = serializers.CharField(source="cloud.type")


class ImageSerializer(CloudEntitySerializer):
    name = serializers.CharField(required=False)
    state = serializers.ChoiceField(choices=ImageState.choices)
    checksum = serializers.CharField(required=False)
    instanceId = serializers.UUIDField(source="instance_id", required=False)
    metadata = MetadataField(source="wire_metadata")
    projectId = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_projectId(self, image):
        """The image's projects that the requesting user sees: the others are not named."""
        visible = self._visible_project_ids
        return [str(p.id) for p in image.wire_projects if visible is None or p.id in visible]

    @cached_property  # once per listing, not once per row
    def _visible_project_ids(self):
        request = self.context.get("request")
        return access_of(request.user).visible_project_ids if request else None


class InstanceSerializer(CloudEntitySerializer):
    projectId = serializers.UUIDField(source="project_id")
    name = serializers.CharField(required=False)
    flavor = FlavorSerializer(required=False)
    image = ImageSerializer(required=False)
    keypair = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=InstanceState.choices)
    isLocked = serializers.BooleanField(source="is_locked")
    availabilityZone = serializers.CharField(source="availability_zone", required=False)
    metadata = MetadataField(source="wire_metadata")
    address = serializers.ListField(source="addresses", child=serializers.CharField())
    fqdn = serializers.CharField(required=False)
    networks = NetworkSerializer(many=True, source="wire_networks")

    @extend_schema_field(KeypairSerializer)
    def get_keypair(self, instance):
        return _KEYPAIR.to_representation(instance.keypair) if instance.keypair else {}


# One for every instance: making a serializer copies its fields, which a long listing feels.
_KEYPAIR = KeypairSerializer()


# The items of the listings under /api/ ---------------------------------------------------------


class ProjectSerializer(CloudEntitySerializer):
    name = serializers.CharField(required=False)
    metadata = MetadataField(source="wire_metadata")


class ProjectFlavorSerializer(FlavorSerializer):
    """A flavor as the instance shape embeds it, and the project (region) it is listed in."""

    projectId = serializers.UUIDField(source="project_id")


class ProjectNetworkSerializer(NetworkSerializer):
    """A network as the instance shape embeds it, and its project (region)."""

    projectId = serializers.UUIDField(source="project_id")


class CloudSerializer(WireSerializer):
    """A cloud as /query's `clouds` table has it: its id on the wire (cloudId) is its name.
    Nothing of its credentials or endpoints."""

    id = serializers.CharField(source="name")
    name = serializers.CharField()
    type = serializers.CharField()
