"""GET /instances/{id} and GET /images/{id}: one entity in the wire shape."""

from rest_framework.generics import RetrieveAPIView

from apps.jsonapi.views import PublicIdLookup

from ..access import access_of
from ..models import Image, Instance
from . import schema
from .serializers import ImageSerializer, InstanceSerializer


class EntityDetail(PublicIdLookup, RetrieveAPIView):
    project_field = "project"

    def get_queryset(self):
        """Only what the user may see: anything else is 404, exactly as if it did not exist."""
        return access_of(self.request.user).visible(super().get_queryset(), self.project_field)


@schema.instance
class InstanceDetail(EntityDetail):
    queryset = Instance.objects.for_wire()
    serializer_class = InstanceSerializer
    noun = "Instance"


@schema.image
class ImageDetail(EntityDetail):
    queryset = Image.objects.for_wire()
    serializer_class = ImageSerializer
    noun = "Image"
    project_field = "projects"
