"""Requests by endpoint: counted and timed by a middleware, labelled with the URL pattern's
name (never the raw path, which holds ids) so the number of series stays bounded."""

import time

from django.urls import Resolver404, resolve
from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "perspective_http_requests",
    "HTTP requests answered, by view (URL pattern name), method and status",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "perspective_http_request_duration_seconds",
    "Time to answer an HTTP request, by view (URL pattern name) and method",
    ["view", "method"],
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Requests for a path no URL pattern matches: static files, unknown paths.
UNMATCHED = "unmatched"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        view, method = view_label(request), method_label(request)
        LATENCY.labels(view, method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        return response


def view_label(request) -> str:
    match = request.resolver_match
    if match is None:  # answered before URL resolution: /ping's middleware, SSL redirects
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return UNMATCHED
    return match.view_name


def method_label(request) -> str:
    return request.method if request.method in METHODS else "other"
