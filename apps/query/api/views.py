"""POST /query: read-only SQL over the inventory (engine.py does the work)."""

import json
import math
import time

from django.http import HttpResponse
from rest_framework.views import APIView

from apps.inventory.access import access_of
from apps.jsonapi.views import JsonBodyView

from .. import metrics
from ..engine import run_queries, statement_count
from . import schema
from .serializers import query_requests
from .throttling import StatementRateThrottle, charge_statements


class QueryView(JsonBodyView, APIView):
    throttle_scope = "query"
    throttle_classes = [StatementRateThrottle]

    @schema.query
    def post(self, request):
        requests = query_requests(self.body())
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
