"""The service API: /ping and /live for load balancers and monitoring, /version, /operations."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from apps.clouds.drivers import supported_operations
from apps.inventory.access import access_of

from .. import health
from . import schema


@schema.ping
@api_view(["GET"])
@authentication_classes([])  # credentials sent anyway are not looked up in the database
@permission_classes([AllowAny])
def ping(request):
    return _health(health.failures())


@schema.live
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def live(request):
    """What a load balancer should ask: whether this process can serve reads. The broker is
    left out: while it is down, batch actions and syncs wait, but reads still work."""
    return _health(health.failures(["database"]))


def _health(failed: dict) -> Response:
    if failed:
        body = {"message": "unavailable", "failed": failed}
        return Response(body, status=503, headers={"Retry-After": str(health.OUTAGE_RETRY_AFTER)})
    return Response({"message": "ok"})


@csrf_exempt  # it changes nothing; any method but GET and HEAD is a 405, not a CSRF failure
def version(request):
    """Plain text, as the original answered; a plain Django view (no auth, no DRF headers).
    Asked for JSON (`Accept: application/json`), also the database it runs on."""
    if request.method not in ("GET", "HEAD"):
        message = f'Method "{request.method}" not allowed.'
        return JsonResponse({"message": message}, status=405, headers={"Allow": "GET, HEAD"})
    if request.get_preferred_type(["text/plain", "application/json"]) == "application/json":
        return JsonResponse({"version": settings.VERSION, "database": database_version()})
    return HttpResponse(settings.VERSION, content_type="text/plain; charset=utf-8")


def database_version() -> str:
    """The database and its release, as "SQLite 3.51.1" or "PostgreSQL 15.20"."""
    release = ".".join(str(part) for part in connection.get_database_version())
    return f"{connection.display_name} {release}"


@schema.operations
@api_view(["GET"])
def operations(request):
    """The operations of the types of cloud the user sees."""
    return Response(supported_operations(access_of(request.user).visible_cloud_types()))
