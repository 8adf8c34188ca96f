"""The service API: /ping for load balancers, /version, /operations."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.clouds.drivers import supported_operations
from apps.inventory.access import access_of

from .. import health


@api_view(["GET"])
@permission_classes([AllowAny])
def ping(request):
    failed = health.failures()
    if failed:
        return Response({"message": "unavailable", "failed": failed}, status=503)
    return Response({"message": "ok"})


@require_GET
def version(request):
    return HttpResponse(settings.VERSION, content_type="text/plain; charset=utf-8")


@api_view(["GET"])
def operations(request):
    """The operations of the types of cloud the user sees."""
    return Response(supported_operations(access_of(request.user).visible_cloud_types()))
