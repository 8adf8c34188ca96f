"""Who may read /metrics: requests from METRICS_ALLOWED_IPS (loopback by default) and, when
METRICS_TOKEN is set, only with `Authorization: Bearer <METRICS_TOKEN>`.

A request relayed by a proxy comes from the proxy's address, which says nothing of the client:
without a token it is refused, so a reverse proxy on the same host does not open /metrics.
"""

import hmac
import ipaddress
from enum import Enum
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

RELAY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


class Refusal(Enum):
    ADDRESS = "not from an allowed address, or relayed without a token"
    BEARER = "without the bearer token"


def refusal(request) -> Refusal | None:
    """Why `request` may not read the metrics; None when it may."""
    if not _allowed_address(request.META.get("REMOTE_ADDR", "")):
        return Refusal.ADDRESS
    if not settings.METRICS_TOKEN:
        relayed = any(header in request.headers for header in RELAY_HEADERS)
        return Refusal.ADDRESS if relayed else None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), settings.METRICS_TOKEN.encode()
    ):
        return None
    return Refusal.BEARER


def _allowed_address(remote_addr: str) -> bool:
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:  # a Unix socket's peer has no address
        return False
    address = getattr(address, "ipv4_mapped", None) or address
    return any(address in network for network in allowed_networks())


def allowed_networks() -> tuple:
    return _networks(tuple(settings.METRICS_ALLOWED_IPS))


@lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)
    except ValueError as exc:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {exc}") from None
