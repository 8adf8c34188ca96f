"""POST /query: read-only SQL over the inventory (engine.py does the work)."""

import json
import math
import time

from django.http import HttpResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import APIView

from apps.inventory.access import access_of

from .. import metrics
from ..engine import run_queries, statement_count
from . import schema
from .serializers import query_requests
from .throttling import StatementRateThrottle, charge_statements

MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"The request body is larger than {MAX_BODY_BYTES} bytes"


class QueryView(APIView):
    throttle_scope = "query"
    throttle_classes = [StatementRateThrottle]

    @schema.query
    def post(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if (declared.isdigit() and int(declared) > MAX_BODY_BYTES) or len(
            request.body
        ) > MAX_BODY_BYTES:
            raise BodyTooLarge
        requests = query_requests(request.data)
        charge_statements(request, self, statement_count(requests))
        started = time.perf_counter()
        results = run_queries(requests, access_of(request.user))
        metrics.observe(results, time.perf_counter() - started)
        body = _json([result.as_wire() for result in results])
        return HttpResponse(body, content_type="application/json")


def _json(payload) -> str:
    """Rendered in one call of the C encoder (results can hold 10,000 rows); an infinite
    number, which JSON cannot hold, becomes null."""
    try:
        return json.dumps(payload, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(payload), allow_nan=False)


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
