"""GET /instances/{id} and GET /images/{id}: one entity in the wire shape."""

import uuid

from rest_framework.exceptions import NotFound
from rest_framework.generics import RetrieveAPIView

from ..access import access_of
from ..models import Image, Instance
from . import schema
from .serializers import ImageSerializer, InstanceSerializer


class EntityDetail(RetrieveAPIView):
    """Looks an entity up by its public id; an unknown or malformed id is 404 naming it."""

    noun = ""

    project_field = "project"

    def get_queryset(self):
        """Only what the user may see: anything else is 404, exactly as if it did not exist."""
        return access_of(self.request.user).visible(super().get_queryset(), self.project_field)

    def get_object(self):
        pk = self.kwargs["pk"]
        try:
            return self.get_queryset().get(pk=uuid.UUID(pk))
        except (ValueError, self.queryset.model.DoesNotExist):
            raise NotFound(f"{self.noun} {pk} does not exist") from None


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
