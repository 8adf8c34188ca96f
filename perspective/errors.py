"""Every error a client sees is JSON with a `message`: DRF exceptions, unknown URLs, crashes,
and a database or broker that does not answer (503 with Retry-After, never a traceback)."""

import logging
import sys

from django.db import InterfaceError
from django.db import OperationalError as DatabaseUnavailable
from django.http import JsonResponse
from kombu.exceptions import OperationalError as BrokerUnavailable
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

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
    return str(detail) if detail is not None else str(exc)


def _flatten(data, prefix=""):
    """One readable sentence out of DRF's nested validation errors."""
    if isinstance(data, dict):
        return "; ".join(_flatten(value, f"{prefix}{key}: ") for key, value in data.items())
    if isinstance(data, list):
        return "; ".join(_flatten(item, prefix) for item in data)
    return f"{prefix}{data}"


def handler404(request, exception=None):
    return JsonResponse({"message": f"Nothing at {request.path}"}, status=404)


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
