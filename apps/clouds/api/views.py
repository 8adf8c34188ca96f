"""POST /api/clouds/{name}/sync: a sync now, for an operator of the whole cloud."""

from django.core.validators import slug_re
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.inventory.access import access_of
from apps.inventory.models import Cloud
from apps.jsonapi.views import JsonBodyView

from .. import services
from . import schema
from .serializers import SyncRunSerializer, SyncSerializer


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT


class SyncView(JsonBodyView, APIView):
    throttle_scope = "actions"

    @schema.sync
    def post(self, request, name):
        named = Cloud.objects.only("id", "name", "seeded")
        clouds = access_of(request.user).visible(named, "projects")
        # A name no cloud can have (a NUL, which PostgreSQL cannot even compare) is not looked up.
        cloud = clouds.filter(name=name).first() if slug_re.fullmatch(name) else None
        if cloud is None:
            raise NotFound(f"Cloud {name} does not exist")
        if not services.syncable(clouds.filter(pk=cloud.pk), request.user).exists():
            raise PermissionDenied(f"Only an operator of every project of cloud {name} may sync it")
        if cloud.seeded:
            raise Conflict(f"Cloud {name} {Cloud.SEEDED}")
        sent = self.body() if request.body else {}  # no body: a full sync
        body = SyncSerializer(data=sent)
        body.is_valid(raise_exception=True)
        runs = services.queue_syncs(cloud, body.validated_data["kinds"])
        return Response(SyncRunSerializer(runs, many=True).data, status=status.HTTP_202_ACCEPTED)
