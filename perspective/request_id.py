"""Every request gets an id: the client's or proxy's `X-Request-ID` when it is a short plain token,
else a new UUID4. It is sent back in the response header, and it is in every log record of the
request and of the Celery tasks the request queues (perspective.logging, perspective.celery)."""

import re
import uuid

from django.core.signals import request_finished

from .logging import request_id

HEADER = "X-Request-ID"
# Nothing that could forge log lines or carry a payload: letters, digits and . _ - only.
SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        value = given if SANE.fullmatch(given) else str(uuid.uuid4())
        # Kept until the response is closed: Django logs 4xx and 5xx after the middleware.
        request_id.set(value)
        response = self.get_response(request)
        response[HEADER] = value
        return response


def forget(**kwargs):
    request_id.set(None)


request_finished.connect(forget, dispatch_uid="perspective.request_id.forget")
