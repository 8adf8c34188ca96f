"""The OpenAPI schema's project-wide rules (drf-spectacular's AutoSchema, DEFAULT_SCHEMA_CLASS).

Every 4xx answer carries the error body of perspective/errors.py. The errors that follow from
how a view is set up (authentication, permissions, CSRF, throttling, a request body) are added
here; a view declares only those of its own logic (an unknown id, ...), as
`OpenApiResponse(description=...)` without a body, and this fills the body in.
"""

from drf_spectacular import openapi
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.throttling import ScopedRateThrottle

from .errors import ErrorSerializer

RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer"},
}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if "requestBody" in operation:
            self._complete_body(operation["requestBody"])
        responses = operation["responses"]
        for status, description in self._implied_errors("requestBody" in operation):
            declared = responses.setdefault(status, {"description": ""})
            declared["description"] = " ".join(filter(None, [declared["description"], description]))
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for status, response in responses.items():
            if status.startswith("4"):
                response.setdefault("content", {"application/json": {"schema": dict(error)}})
        if "429" in responses:
            responses["429"]["headers"] = {"Retry-After": dict(RETRY_AFTER)}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _complete_body(self, body: dict) -> None:
        """What drf-spectacular leaves out: the length limits of a list of objects, and that a
        body given as a plain schema (a JSON list or map) is required, as every body here is."""
        declared = self.get_request_serializer()
        if isinstance(declared, dict):
            body["required"] = True
        if not isinstance(declared, serializers.ListSerializer):
            return
        for media in body["content"].values():
            if not declared.allow_empty:
                media["schema"]["minItems"] = max(1, declared.min_length or 0)
            elif declared.min_length is not None:
                media["schema"]["minItems"] = declared.min_length
            if declared.max_length is not None:
                media["schema"]["maxItems"] = declared.max_length

    def _implied_errors(self, has_body: bool):
        """(status, description) of the errors the view's setup can give."""
        if has_body:
            yield "400", "The body is not JSON, or holds a NUL character or a lone surrogate."
            yield "413", "The body is larger than 1 MiB."
            yield "415", "The body is declared as a type other than JSON."
        if getattr(self.view, "filterset_class", None):
            yield "400", "A parameter is unknown or its value not valid (named in the message)."
        authenticators = self.view.get_authenticators()
        if authenticators:
            if self._is_public():
                yield "401", "The token sent is not valid (sending none is fine)."
            else:
                yield "401", "No credentials, or a token that is not valid."
        refusals = [
            f'Not permitted: "{permission.message}".'
            for permission in self.view.get_permissions()
            if getattr(permission, "message", None)
        ]
        if self.method not in permissions.SAFE_METHODS and any(
            isinstance(authenticator, SessionAuthentication) for authenticator in authenticators
        ):
            refusals.append("A session request without its CSRF token.")
        if refusals:
            yield "403", " ".join(refusals)
        if self._is_throttled():
            yield "429", "Over the request rate; retry after the seconds in Retry-After."

    def _is_public(self) -> bool:
        return any(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())

    def _is_throttled(self) -> bool:
        for throttle in self.view.get_throttles():
            if not isinstance(throttle, ScopedRateThrottle):
                return True
            if getattr(self.view, throttle.scope_attr, None) in throttle.THROTTLE_RATES:
                return True
        return False
