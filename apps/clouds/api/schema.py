"""The OpenAPI description of POST /api/clouds/{name}/sync (see views.py); GET /api/syncs/ is
described from its filterset and serializer."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from .serializers import SyncRunSerializer, SyncSerializer

sync = extend_schema(
    summary="Sync a cloud now",
    description="Queues sync runs of the cloud, to run one after the other on a worker, as the "
    "admin's *Sync now* does; GET /api/syncs/?id=... follows them. A sync reads the whole "
    "cloud, so only an operator of every project of it (or a superuser) may ask for one. The "
    "body is optional.",
    parameters=[
        OpenApiParameter(
            "name", OpenApiTypes.STR, OpenApiParameter.PATH, description="The cloud's name."
        )
    ],
    request=SyncSerializer,
    responses={
        202: SyncRunSerializer(many=True),
        400: OpenApiResponse(description="An unknown kind, or one given twice."),
        403: OpenApiResponse(
            description="The user does not operate every project of the cloud: "
            '"Only an operator of every project of cloud X may sync it".'
        ),
        404: OpenApiResponse(
            description='Unknown, or no project of it is visible to the user: "Cloud X does '
            'not exist".'
        ),
        409: OpenApiResponse(
            description='A cloud seed_inventory made up: "Cloud X was made up by seed_inventory: '
            'there is no cloud to sync or act on".'
        ),
    },
)
