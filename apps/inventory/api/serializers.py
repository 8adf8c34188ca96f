"""The wire shapes of the original: camelCase keys, nulls left out, singular list keys."""

from rest_framework import serializers

from .fields import MetadataField, WireDateTimeField


class WireSerializer(serializers.Serializer):
    """Leaves out what is null or blank, as the original did."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {key: value for key, value in data.items() if value is not None and value != ""}


class FlavorSerializer(WireSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    ram = serializers.IntegerField()
    vcpus = serializers.IntegerField()
    rootDisk = serializers.IntegerField(source="root_disk")
    ephemeralDisk = serializers.IntegerField(source="ephemeral_disk")
    hasSwap = serializers.BooleanField(source="has_swap")
    isPublic = serializers.BooleanField(source="is_public")


class KeypairSerializer(WireSerializer):
    name = serializers.CharField()
    fingerprint = serializers.CharField()
    publicKey = serializers.CharField(source="public_key")


class SubnetSerializer(WireSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    cidr = serializers.CharField()
    protocolVersion = serializers.IntegerField(source="protocol_version")
    gateway = serializers.CharField()
    isDhcpEnabled = serializers.BooleanField(source="is_dhcp_enabled")


class NetworkSerializer(WireSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    state = serializers.CharField()
    isShared = serializers.BooleanField(source="is_shared")
    subnets = SubnetSerializer(many=True, source="subnets.all")


class CloudEntitySerializer(WireSerializer):
    id = serializers.UUIDField()
    realId = serializers.CharField(source="real_id")
    timestamp = WireDateTimeField(source="last_updated")
    created = WireDateTimeField()
    cloudId = serializers.CharField(source="cloud.name")
    cloudType = serializers.CharField(source="cloud.type")


class ImageSerializer(CloudEntitySerializer):
    name = serializers.CharField()
    state = serializers.CharField()
    checksum = serializers.CharField()
    instanceId = serializers.UUIDField(source="instance_id")
    metadata = MetadataField()
    projectId = serializers.SerializerMethodField()

    def get_projectId(self, image):
        return [str(project.id) for project in image.projects.all()]


class InstanceSerializer(CloudEntitySerializer):
    projectId = serializers.UUIDField(source="project_id")
    name = serializers.CharField()
    flavor = FlavorSerializer()
    image = ImageSerializer()
    keypair = serializers.SerializerMethodField()
    state = serializers.CharField()
    isLocked = serializers.BooleanField(source="is_locked")
    availabilityZone = serializers.CharField(source="availability_zone")
    metadata = MetadataField()
    address = serializers.ListField(source="addresses", child=serializers.CharField())
    fqdn = serializers.CharField()
    networks = NetworkSerializer(many=True, source="networks.all")

    def get_keypair(self, instance):
        return KeypairSerializer(instance.keypair).data if instance.keypair else {}
