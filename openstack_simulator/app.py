"""Routes each request to its service, after injected faults and authentication, and
records it in the request log."""

import logging
import time
import uuid
from dataclasses import dataclass
from email.message import Message
from urllib.parse import parse_qs, unquote

from openstack_simulator import control, glance, keystone, neutron, nova
from openstack_simulator.cloud import Cloud
from openstack_simulator.state import Region
from openstack_simulator.web import ApiError, Request, Response, Service

logger = logging.getLogger(__name__)

REGIONAL_SERVICES = {"compute": nova.SERVICE, "image": glance.SERVICE, "network": neutron.SERVICE}
INJECTED = "Failure injected by the OpenStack simulator"


@dataclass
class Target:
    service: Service
    region: Region | None
    path: str  # below the service's root
    service_url: str


class App:
    def __init__(self, cloud: Cloud) -> None:
        self.cloud = cloud

    def __call__(
        self, method: str, target: str, headers: Message, body: bytes, host_url: str
    ) -> Response | None:
        """The response, or None to close the connection without one."""
        raw_path, _, query_string = target.partition("?")
        path = unquote(raw_path)
        query = parse_qs(query_string, keep_blank_values=True)
        if path == "/_sim" or path.startswith("/_sim/"):
            return control.handle(self.cloud, method, path, query, body, host_url)
        started = time.perf_counter()
        resolved = self._resolve(path, host_url)
        response = self._serve(resolved, method, query, headers, body, host_url)
        if response is not None:
            response.headers.setdefault("X-Openstack-Request-Id", f"req-{uuid.uuid4()}")
        region = resolved.region.name if resolved.region else None
        status = response.status if response else 0
        took = time.perf_counter() - started
        self.cloud.log.record(method, target, status, resolved.service.type, region, took)
        return response

    def _resolve(self, path: str, host_url: str) -> Target:
        """Keystone lives at the root; the other services under ``/{region}/{service}``."""
        if path in ("", "/") or path == "/v3" or path.startswith("/v3/"):
            return Target(keystone.SERVICE, None, path, host_url)
        parts = path.split("/", 3)  # "", region, service, the rest
        region = self.cloud.region(parts[1]) if len(parts) > 2 else None
        service = REGIONAL_SERVICES.get(parts[2]) if len(parts) > 2 else None
        if region is None or service is None:
            return Target(keystone.SERVICE, None, path, host_url)
        rest = "/" + parts[3] if len(parts) > 3 and parts[3] else ""
        return Target(service, region, rest, f"{host_url}/{parts[1]}/{parts[2]}")

    def _serve(
        self,
        target: Target,
        method: str,
        query: dict[str, list[str]],
        headers: Message,
        body: bytes,
        host_url: str,
    ) -> Response | None:
        service = target.service
        decision = self.cloud.faults.decide(service.type)
        if decision.latency:
            time.sleep(decision.latency)
        if decision.close:
            return None
        if decision.status:
            return service.error(ApiError(decision.status, INJECTED, decision.headers))
        request = Request(
            method, target.path, query, headers, body, host_url, target.service_url, self.cloud
        )
        request.region = target.region
        match = service.router.match(method, target.path)
        with self.cloud.lock:
            self.cloud.tick()
            if match.route is not None and not match.public:
                request.token = self.cloud.identity.validate(
                    headers.get("X-Auth-Token"), time.time(), self.cloud.faults.token_ttl()
                )
                if request.token is None:
                    return service.error(keystone.unauthorized(host_url))
            try:
                return service.respond(request, match)
            except Exception:
                logger.exception("%s %s failed", method, target.path)
                return service.error(ApiError(500, "Unexpected error in the simulator"))
