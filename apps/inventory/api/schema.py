"""The OpenAPI description of GET /instances/{id} and GET /images/{id} (see views.py)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema

from .serializers import ImageSerializer, InstanceSerializer


def detail(noun: str, serializer, shape: str):
    return extend_schema(
        summary=f"One {noun.lower()}",
        description=f"The {noun.lower()} in the wiki's shape{shape}.",
        responses={
            200: serializer,
            404: OpenApiResponse(
                description="Unknown, malformed or outside the user's projects: "
                f'"{noun} X does not exist".'
            ),
        },
    )


instance = detail(
    "Instance",
    InstanceSerializer,
    " (nested flavor, image, keypair and networks; metadata as `metadata.entry`)",
)
image = detail("Image", ImageSerializer, "")
