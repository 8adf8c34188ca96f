"""GET /instances/{id} and GET /images/{id}: one entity in the wire shape."""

import uuid

from rest_framework.exceptions import NotFound
from rest_framework.generics import RetrieveAPIView

from ..models import Image, Instance
from .serializers import ImageSerializer, InstanceSerializer


class EntityDetail(RetrieveAPIView):
    """Looks an entity up by its public id; an unknown or malformed id is 404 naming it."""

    noun = ""

    def get_object(self):
        pk = self.kwargs["pk"]
        try:
            return self.get_queryset().get(pk=uuid.UUID(pk))
        except (ValueError, self.queryset.model.DoesNotExist):
            raise NotFound(f"{self.noun} {pk} does not exist") from None


class InstanceDetail(EntityDetail):
    queryset = Instance.objects.for_wire()
    serializer_class = InstanceSerializer
    noun = "Instance"


class ImageDetail(EntityDetail):
    queryset = Image.objects.for_wire()
    serializer_class = ImageSerializer
    noun = "Image"
