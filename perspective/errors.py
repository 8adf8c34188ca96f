"""Every error a client sees is JSON with a `message`: DRF exceptions, unknown URLs, crashes,
and a database or broker that does not answer (503 with Retry-After, never a traceback)."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError
from django.db import OperationalError as DatabaseUnavailable
from django.http import JsonResponse
from kombu.exceptions import OperationalError as BrokerUnavailable
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from apps.jsonapi.authentication import HOW as HOW_TO_AUTHENTICATE
from apps.jsonapi.ids import parse_id
from apps.service.health import OUTAGE_RETRY_AFTER


# For the OpenAPI schema (perspective/schema.py); the handlers below build the bodies themselves.
class ErrorSerializer(serializers.Serializer):
    """The body of every error."""

    message = serializers.CharField(help_text="What went wrong, in one sentence.")


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"message": _message(exc, response.data)}
    return response


def _message(exc, data):
    if isinstance(exc, exceptions.ValidationError):
        return _flatten(data)
    detail = getattr(exc, "detail", None)
    message = str(detail) if detail is not None else str(exc)
    if isinstance(exc, exceptions.NotAuthenticated):
        return f"{message.rstrip('.')}: {HOW_TO_AUTHENTICATE}"
    return message


def _flatten(data, prefix=""):
    """One readable sentence out of DRF's nested validation errors."""
    if isinstance(data, dict):
        return "; ".join(_flatten(value, f"{prefix}{key}: ") for key, value in data.items())
    if isinstance(data, list):
        return "; ".join(_flatten(item, prefix) for item in data)
    return f"{prefix}{data}"


def handler404(request, exception=None):
    return JsonResponse({"message": f"Nothing at {request.path}"}, status=404)


class RoutingMiddleware:
    """Answers for the path and the method before credentials or CSRF are looked at: a method
    a real path does not take is 405 naming the ones it does; a path that is no real path is a
    JSON 404 naming it, also where its last part is no id (`PUT /instances/reboott` is a typo,
    not a method the instance refuses) and under DEBUG, whose own 404 page is HTML. The admin
    keeps its pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pages = ("/admin/", f"/{settings.STATIC_URL.lstrip('/')}")
        is_json = response.get("Content-Type", "").startswith("application/json")
        if response.status_code == 404 and not is_json and not request.path.startswith(pages):
            return handler404(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        allowed = _allowed_methods(view_func)
        if allowed is None or request.method in allowed:
            return None
        if "pk" in view_kwargs and parse_id(view_kwargs["pk"]) is None:
            return handler404(request)
        message = f'Method "{request.method}" not allowed.'
        return JsonResponse({"message": message}, status=405, headers={"Allow": ", ".join(allowed)})


def _allowed_methods(view_func) -> list[str] | None:
    """The methods of a DRF view, as its route declares them; None for other views."""
    view_class = getattr(view_func, "cls", None)
    if view_class is None:
        return None
    allowed = view_class(**view_func.initkwargs).allowed_methods
    return [*allowed, "HEAD"] if "GET" in allowed else allowed


def handler500(request):
    return outage_response(sys.exc_info()[1]) or JsonResponse(
        {"message": "Internal server error"}, status=500
    )


log = logging.getLogger(__name__)


def outage_response(exc: BaseException | None) -> JsonResponse | None:
    """503 naming the part that does not answer (not where it is), or None for other errors."""
    if isinstance(exc, DatabaseUnavailable | InterfaceError):
        part = "database"
    elif isinstance(exc, BrokerUnavailable):
        part = "message broker"
    else:
        return None
    log.warning("The %s does not answer: %s", part, exc)
    return JsonResponse(
        {"message": f"The {part} is unavailable; try again shortly"},
        status=503,
        headers={"Retry-After": str(OUTAGE_RETRY_AFTER)},
    )


class OutageMiddleware:
    """Answers 503 instead of 500 (or DEBUG's traceback page) when a view finds the database or
    the broker down. Errors outside views reach handler500, which does the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return outage_response(exception)


def handler400(request, exception=None):
    return JsonResponse({"message": "Bad request"}, status=400)
