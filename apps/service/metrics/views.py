"""GET /metrics: the Prometheus exposition of the web's request metrics (of every gunicorn
worker in multiprocess mode) and of what the collectors read at the scrape."""

import logging
import os

from django.http import Http404, JsonResponse
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from prometheus_client.django import PrometheusDjangoView

from .access import Refusal, refusal
from .queues import QueuesCollector
from .records import RecordsCollector

log = logging.getLogger(__name__)


class MetricsView(PrometheusDjangoView):
    def dispatch(self, request, *args, **kwargs):
        refused = refusal(request)
        if refused is Refusal.ADDRESS:
            log.info("/metrics refused %s: %s", request.META.get("REMOTE_ADDR"), refused.value)
            raise Http404
        if refused is Refusal.BEARER:
            return JsonResponse(
                {"message": "A valid bearer token is required"},
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        self.registry = scrape_registry()
        return super().dispatch(request, *args, **kwargs)


def scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(RecordsCollector())
    registry.register(QueuesCollector())
    return registry
