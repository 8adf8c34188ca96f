"""Every error a client sees is JSON with a `message`: DRF exceptions, unknown URLs, crashes."""

from django.http import JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


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
    return JsonResponse({"message": "Internal server error"}, status=500)


def handler400(request, exception=None):
    return JsonResponse({"message": "Bad request"}, status=400)
